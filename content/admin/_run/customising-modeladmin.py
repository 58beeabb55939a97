# Seed rows for content/admin/customising-modeladmin.md: two customers, a paid
# and a pending order with one line each.
from decimal import Decimal

from shop.models import Customer, Order, OrderLine

_ada = Customer.objects.create(name="Ada Byrne", email="ada@example.com", country="GB")
_bo = Customer.objects.create(name="Bo Smith", email="bo@example.com", country="SE")
_paid = Order.objects.create(number="N1", customer=_ada, status="paid", total=Decimal("1250.00"))
_pending = Order.objects.create(number="N2", customer=_bo, total=Decimal("80.00"))
OrderLine.objects.create(order=_paid, product="Desk", quantity=1, unit_price=Decimal("1250.00"))
OrderLine.objects.create(order=_pending, product="Lamp", quantity=2, unit_price=Decimal("40.00"))
