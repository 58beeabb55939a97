# Seed for content/scenarios/admin-change-page-slow.md: 300 products in 5 categories,
# 1,000 customers, one order with 4 items, and a superuser.
from django.contrib.auth import get_user_model

from shop.models import Category, Customer, Order, OrderItem, Product

get_user_model().objects.create_superuser("admin", "admin@example.com", "unused")
_categories = [Category.objects.create(name=f"Category {_i}") for _i in range(1, 6)]
Product.objects.bulk_create(
    Product(category=_categories[_i % 5], name=f"Product {_i}", sku=f"SKU-{_i:04d}")
    for _i in range(1, 301)
)
Customer.objects.bulk_create(
    Customer(name=f"Customer {_i}", email=f"customer{_i}@example.com") for _i in range(1, 1001)
)
_order = Order.objects.create(number="ORD-000001", customer=Customer.objects.get(pk=1))
for _pk in (1, 2, 3, 4):
    OrderItem.objects.create(order=_order, product=Product.objects.get(pk=_pk), quantity=1)
del _categories, _order, _pk
