# Seed rows for content/performance/page-fires-347-queries.md (not shown to readers):
# one support user with an unread notification, 50 orders from 50 customers,
# 192 line items (42 orders with 4 items, 8 with 3) over 40 products.
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from shop.models import Customer, Notification, Order, OrderItem, Product

support = get_user_model().objects.create_user("support", password="unused")
Notification.objects.create(user=support, message="Order ORD-000007 was refunded")

products = Product.objects.bulk_create(
    Product(name=f"Product {n}", sku=f"SKU-{n:05d}", price=Decimal("9.99"))
    for n in range(1, 41)
)
now = timezone.now()
items = []
for n in range(1, 51):
    customer = Customer.objects.create(name=f"Customer {n}", email=f"c{n}@example.com")
    order = Order.objects.create(
        number=f"ORD-{n:06d}", customer=customer, created_at=now - timedelta(minutes=n)
    )
    for i in range(4 if n <= 42 else 3):
        items.append(OrderItem(order=order, product=products[(n + i) % 40],
                               quantity=2, unit_price=Decimal("9.99")))
OrderItem.objects.bulk_create(items)
del support, products, now, items, n, i, customer, order
