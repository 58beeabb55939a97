# Seed rows for content/drf/serializer-n-plus-one.md (not shown to readers): ten products
# in two categories with two owners, a tag or two each and some reviews; product 1 has
# three reviews and one tag (the Count() trap on the page needs that).
import datetime
from decimal import Decimal

from django.contrib.auth.models import User

from catalog.models import Category, Product, Review, Tag

_owners = [User.objects.create_user("ana"), User.objects.create_user("ben")]
_categories = [Category.objects.create(name="Lamps", slug="lamps"),
               Category.objects.create(name="Desks", slug="desks")]
_tags = [Tag.objects.create(name=name) for name in ("new", "sale", "oak")]
_start = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.timezone.utc)
for _n in range(1, 11):
    _product = Product.objects.create(
        name=f"Product {_n}", slug=f"product-{_n}", category=_categories[(_n + 1) % 2],
        owner=_owners[(_n + 1) % 2], price=Decimal(10 * _n),
    )
    Product.objects.filter(pk=_product.pk).update(
        created_at=_start + datetime.timedelta(days=_n))
    _product.tags.set(_tags[:1] if _n == 1 else _tags[: 1 + _n % 3])
    for _rating in ([5, 4, 2] if _n == 1 else [3 + _n % 3] * (_n % 3)):
        Review.objects.create(product=_product, author=_owners[_n % 2], rating=_rating,
                              body="Fine.")
