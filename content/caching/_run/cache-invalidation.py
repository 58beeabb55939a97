# Seed rows for content/caching/cache-invalidation.md (not shown to readers).
from decimal import Decimal

from catalog.models import Category, Product

_tea = Category.objects.create(name="Tea")
Product.objects.create(category=_tea, name="Sencha", price=Decimal("4.50"))
Product.objects.create(category=_tea, name="Genmaicha", price=Decimal("3.90"))
del _tea
