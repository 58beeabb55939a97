# Seed rows for content/caching/caching-strategies.md (not shown to readers).
from django.contrib.auth import get_user_model

from catalog.models import Brand, Product, Review

get_user_model().objects.create_user("ana", password="unused")
get_user_model().objects.create_user("bob", password="unused")
_brand = Brand.objects.create(name="Kettle & Co")
_sencha = Product.objects.create(brand=_brand, name="Sencha", slug="sencha")
Product.objects.create(brand=_brand, name="Genmaicha", slug="genmaicha")
for _stars in (5, 4, 4):
    Review.objects.create(product=_sencha, stars=_stars, text="Fresh and grassy.")
del _brand, _sencha, _stars
