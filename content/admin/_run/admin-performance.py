# Seed rows for content/admin/admin-performance.md: five orders, each with its
# own customer, one courier for all of them, two order lines per order.
from shop.models import Courier, Customer, Order, OrderLine, OrderTag

_courier = Courier.objects.create(name="Parcelline")
_tags = [OrderTag.objects.create(name="gift"), OrderTag.objects.create(name="express")]
for _n in range(1, 6):
    _customer = Customer.objects.create(
        name=f"Customer {_n}", email=f"customer{_n}@example.com", country="GB" if _n % 2 else "DE"
    )
    _order = Order.objects.create(
        number=f"N{_n}", customer=_customer, courier=_courier
    )
    _order.tags.set(_tags)
    OrderLine.objects.create(order=_order, product="Lamp", quantity=1)
    OrderLine.objects.create(order=_order, product="Bulb", quantity=2)
