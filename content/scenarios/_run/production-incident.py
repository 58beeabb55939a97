# Seed for content/scenarios/production-incident.md: an order with an address and a
# legacy digital order without one.
from shop.models import Address, Order

Order.objects.create(
    number="ORD-1", shipping_address=Address.objects.create(line1="1 Main St", country="FR")
)
Order.objects.create(number="ORD-2", shipping_address=None)
