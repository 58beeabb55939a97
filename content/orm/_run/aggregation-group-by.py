# Seed rows for content/orm/aggregation-group-by.md (not shown to readers).
from decimal import Decimal

from sales.models import Category, OrderLine, Product

books = Category.objects.create(name="Books")
games = Category.objects.create(name="Games")
dune = Product.objects.create(name="Dune", category=books, price=Decimal("12.00"))
emma = Product.objects.create(name="Emma", category=books, price=Decimal("9.00"))
chess = Product.objects.create(name="Chess Set", category=games, price=Decimal("30.00"))
OrderLine.objects.create(product=dune, customer="ana", quantity=1)
OrderLine.objects.create(product=dune, customer="ben", quantity=5)
OrderLine.objects.create(product=dune, customer="ana", quantity=2)
OrderLine.objects.create(product=emma, customer="cy", quantity=4)
OrderLine.objects.create(product=chess, customer="ana", quantity=1)
