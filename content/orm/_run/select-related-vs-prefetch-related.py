# Seed rows for content/orm/select-related-vs-prefetch-related.md (not shown to readers).
import datetime
from decimal import Decimal

from catalog.models import Author, Book, Publisher, Review

harbour = Publisher.objects.create(name="Harbour Press", country="GB")
northlight = Publisher.objects.create(name="Northlight", country="IE")
ada = Author.objects.create(name="Ada Byrne")
tom = Author.objects.create(name="Tom Keane")
lena = Author.objects.create(name="Lena Ortiz")


def book(title, publisher, year, authors, editor=None, ratings=()):
    b = Book.objects.create(title=title, publisher=publisher, editor=editor,
                            price=Decimal("20.00"), published=datetime.date(year, 5, 1))
    b.authors.add(*authors)
    for rating in ratings:
        Review.objects.create(book=b, rating=rating, body="...")
    return b


book("The Salt Road", harbour, 2022, [ada], editor=lena, ratings=[5, 4])
book("Copper Sky", northlight, 2023, [ada, tom], ratings=[3])
book("Anchor Point", northlight, 2024, [tom], editor=lena, ratings=[4, 2, 5])
book("Low Tide", harbour, 2024, [lena, ada])
book("Blue Hour", northlight, 2024, [tom], editor=ada, ratings=[5])
