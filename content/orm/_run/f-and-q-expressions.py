# Seed rows for content/orm/f-and-q-expressions.md (not shown to readers).
from decimal import Decimal

from catalog.models import Book, Order, OrderItem, Publisher, Review

hollow = Publisher.objects.create(name="Hollow Press", country="IE")
harbour = Publisher.objects.create(name="Harbour House", country="US")
lantern = Publisher.objects.create(name="Lantern Books", country="GB")


def book(publisher, title, price, stock, *ratings):
    b = Book.objects.create(publisher=publisher, title=title, price=Decimal(price),
                            stock=stock, reorder_level=5)
    for rating, public in ratings:
        Review.objects.create(book=b, rating=rating, is_public=public)
    return b


python = book(hollow, "Python at Scale", "38.00", 12, (5, True), (4, True), (2, False))
book(hollow, "Django in Depth", "42.00", 10, (5, True), (3, True))
book(hollow, "Quiet Gardens", "18.00", 3, (4, True))
book(harbour, "Django for Teams", "30.00", 8, (4, True))
book(harbour, "Learning Python", "35.00", 6)
book(harbour, "Sea Charts", "12.00", 2)
book(lantern, "Practical Django", "24.00", 9, (5, True), (4, False))
book(lantern, "Python Recipes", "20.00", 4)
book(lantern, "Winter Poems", "16.00", 7)
book(lantern, "Small Boats", "20.00", 5)
order = Order.objects.create()
OrderItem.objects.create(order=order, book=python, unit_price=Decimal("38.00"), quantity=2)
del book, hollow, harbour, lantern, python, order
