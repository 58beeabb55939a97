# Seed rows for security-anti-patterns.md: one user with a real password hash
# and a small catalogue, two products published and one not.
from decimal import Decimal

from django.contrib.auth.models import User

from shop.models import Category, Product

alice = User.objects.create_user("alice", password="correct-horse-battery")
stationery = Category.objects.create(slug="stationery")
for name, price, published in [
    ("Pen", "1.50", True),
    ("Notebook", "4.20", True),
    ("Prototype (unpublished)", "99.00", False),
]:
    Product.objects.create(
        name=name, price=Decimal(price), category=stationery,
        is_published=published, created_by=alice,
    )
