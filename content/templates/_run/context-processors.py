# Seed rows for content/templates/context-processors.md (not shown to readers).
from shop.models import Category, Product

for name in ["Kettle", "Mug", "Teapot"]:
    Product.objects.create(name=name)
Category.objects.create(name="Kitchen", slug="kitchen", position=1)
del name
