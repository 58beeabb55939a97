# Seed rows for content/drf/drf-structure.md (not shown to readers).
from decimal import Decimal

from django.contrib.auth.models import User

from catalog.models import Category, Product

ana = User.objects.create_user("ana")
lamps = Category.objects.create(name="Lamps", slug="lamps")
Product.objects.create(
    category=lamps, owner=ana, name="Desk lamp", slug="desk-lamp", price=Decimal("39.00")
)
del ana, lamps
