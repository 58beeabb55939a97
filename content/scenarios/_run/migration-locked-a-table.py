# Seed for content/scenarios/migration-locked-a-table.md: 1,000 orders.
from shop.models import Order

Order.objects.bulk_create(Order(number=f"ORD-{_i:06d}") for _i in range(1, 1001))
