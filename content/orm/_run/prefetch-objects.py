# Seed rows for content/orm/prefetch-objects.md (not shown to readers).
import datetime
from decimal import Decimal

from catalog.models import Author, Book, Publisher, Review

harbour = Publisher.objects.create(name="Harbour Press", country="GB")
northlight = Publisher.objects.create(name="Northlight", country="IE")
ada = Author.objects.create(name="Ada Byrne")
tom = Author.objects.create(name="Tom Keane")
lena = Author.objects.create(name="Lena Ortiz")


def book(title, publisher, year, authors, editor=None, reviews=()):
    b = Book.objects.create(title=title, publisher=publisher, editor=editor,
                            price=Decimal("20.00"), published=datetime.date(year, 5, 1))
    b.authors.add(*authors)
    for rating, is_public in reviews:
        Review.objects.create(book=b, rating=rating, body="...", is_public=is_public)
    return b


book("The Salt Road", harbour, 2022, [ada], editor=lena,
     reviews=[(5, True), (4, True), (1, False)])
book("Copper Sky", northlight, 2023, [ada, tom], reviews=[(3, True)])
book("Anchor Point", northlight, 2024, [tom], editor=lena,
     reviews=[(4, True), (2, False), (5, True), (4, True)])
book("Low Tide", harbour, 2024, [lena, ada])
book("Blue Hour", northlight, 2021, [tom], editor=ada, reviews=[(5, True)])
