# Seed rows for content/orm/lazy-querysets.md (not shown to readers).
from decimal import Decimal

from catalog.models import Book, Publisher

press = Publisher.objects.create(name="Hollow Press")
for title, price in [("Python at Scale", "38.00"), ("Django in Depth", "42.00"),
                     ("Quiet Gardens", "18.00"), ("Sea Charts", "12.00")]:
    Book.objects.create(title=title, price=Decimal(price), publisher=press)
del press, title, price
