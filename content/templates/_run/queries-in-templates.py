# Seed rows for content/templates/queries-in-templates.md (not shown to readers):
# six orders from three customers, created one minute apart.
from datetime import datetime, timedelta, timezone

from shop.models import Customer, Order, OrderItem

start = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
customers = [Customer.objects.create(name=name) for name in ("Ada", "Grace", "Linus")]
for n in range(6):
    order = Order.objects.create(customer=customers[n // 2], number=f"A-{1001 + n}")
    Order.objects.filter(pk=order.pk).update(created=start + timedelta(minutes=n))
    for sku in ("MUG", "TEA")[: 1 + n % 2]:
        OrderItem.objects.create(order=order, sku=sku)
del start, customers, n, order, sku
