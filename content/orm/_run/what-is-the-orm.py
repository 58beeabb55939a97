# Seed rows for content/orm/what-is-the-orm.md (not shown to readers).
import datetime
from decimal import Decimal

from catalog.models import Book, Category, Publisher

liffey = Publisher.objects.create(name="Liffey Books", country="IE")
harbour = Publisher.objects.create(name="Harbour Press", country="GB")
for title, publisher, price in [
    ("Quiet Streets", liffey, "14.99"),
    ("Atlas of Rain", liffey, "24.00"),
    ("Bog Oak", liffey, "9.50"),
    ("Harbour Lights", harbour, "12.00"),
]:
    Book.objects.create(title=title, publisher=publisher, price=Decimal(price),
                        published=datetime.date(2024, 1, 15))

books = Category.objects.create(name="Books")
fiction = Category.objects.create(name="Fiction", parent=books)
Category.objects.create(name="Crime", parent=fiction)
Category.objects.create(name="Poetry", parent=fiction)
Category.objects.create(name="Maps", parent=books)
