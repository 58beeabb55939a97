# Seed rows for content/performance/query-optimisation-checklist.md (not shown to
# readers): customer 1 with 37 orders and 126 line items (306 units), and 200,000
# orders in all, about 3% of them pending, then ANALYZE so the planner has statistics.
import datetime
from decimal import Decimal

from django.db import connection

from shop.models import Customer, Order, OrderItem

_start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
_customers = Customer.objects.bulk_create(
    Customer(name=f"Customer {n}", email=f"c{n}@example.com") for n in range(1, 2001)
)
_first = _customers[0]
_orders = Order.objects.bulk_create(
    Order(number=f"A-{n:05d}", customer=_first, created_at=_start + datetime.timedelta(hours=n))
    for n in range(37)
)
_items = []
for _i, _order in enumerate(_orders):
    for _j in range(4 if _i < 15 else 3):
        _items.append(OrderItem(order=_order, quantity=0, unit_price=Decimal("9.99")))
for _k, _item in enumerate(_items):
    _item.quantity = 3 if _k < 54 else 2
OrderItem.objects.bulk_create(_items)

_batch = []
for _n in range(200_000 - 37):
    _batch.append(Order(
        number=f"B-{_n:06d}",
        customer=_customers[1 + _n % 1999],
        status="pending" if _n % 33 == 0 else "paid",
        created_at=_start + datetime.timedelta(minutes=_n),
    ))
    if len(_batch) == 10_000:
        Order.objects.bulk_create(_batch)
        _batch = []
Order.objects.bulk_create(_batch)
with connection.cursor() as _cursor:
    _cursor.execute("ANALYZE")
del _start, _customers, _first, _orders, _items, _batch
