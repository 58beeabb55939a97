# Seed rows for content/forms/formsets.md (not shown to readers).
from django.contrib.auth.models import User

from shop.models import Customer, Order, OrderItem, Product

customer = Customer.objects.create(user=User.objects.create_user("ada"))
products = [Product.objects.create(name=name, sku=f"SKU-{n}")
            for n, name in enumerate(["Kettle", "Mug", "Teapot", "Tray", "Spoon"], start=1)]
order = Order.objects.create(customer=customer)  # pk 1, with four lines
for product in products[:4]:
    OrderItem.objects.create(order=order, product=product, sku=product.sku, quantity=1)
del customer, products, order, product
