# Seed rows for content/orm/managers-and-querysets.md (not shown to readers).
import datetime
from decimal import Decimal

from catalog.models import Author, Book, Publisher, Review

hollow = Publisher.objects.create(name="Hollow Press", country="IE")
quay = Publisher.objects.create(name="Quay Editions", country="IE")
harbour = Publisher.objects.create(name="Harbour House", country="US")
ann, ben = Author.objects.create(name="Ann Byrne"), Author.objects.create(name="Ben Walsh")


def book(publisher, title, published, authors, *ratings):
    b = Book.objects.create(publisher=publisher, title=title, price=Decimal("20.00"),
                            published=published)
    b.authors.set(authors)
    for rating, public in ratings:
        Review.objects.create(book=b, rating=rating, is_public=public)


book(hollow, "Python at Scale", datetime.date(2025, 3, 1), [ann], (5, True), (4, True), (1, False))
book(hollow, "Django in Depth", datetime.date(2025, 9, 1), [ann, ben], (3, True), (4, True), (5, True), (2, True))
book(quay, "Quiet Gardens", datetime.date(2024, 5, 1), [ben])
book(quay, "Next Year's Book", datetime.date(2099, 1, 1), [ben], (5, True))
book(harbour, "Sea Charts", datetime.date(2024, 1, 1), [ann], (4, True))
del book, hollow, quay, harbour, ann, ben
