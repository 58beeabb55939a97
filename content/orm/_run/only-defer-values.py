# Seed rows for content/orm/only-defer-values.md (not shown to readers).
import datetime
from decimal import Decimal

from catalog.models import Author, Book, Publisher

harbour = Publisher.objects.create(name="Harbour Press", country="GB")
northlight = Publisher.objects.create(name="Northlight", country="IE")
ada = Author.objects.create(name="Ada Byrne")
tom = Author.objects.create(name="Tom Keane")


def book(title, publisher, price, published, authors):
    b = Book.objects.create(title=title, publisher=publisher, price=Decimal(price),
                            published=published, summary=f"A long summary of {title}.")
    b.authors.add(*authors)
    return b


book("First edition", northlight, "21.00", datetime.date(2020, 2, 10), [ada, tom])
book("Copper Sky", harbour, "18.50", datetime.date(2023, 6, 1), [ada])
book("Anchor Point", northlight, "24.00", datetime.date(2024, 9, 15), [])
