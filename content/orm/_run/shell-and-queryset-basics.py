# Seed rows for content/orm/shell-and-queryset-basics.md (not shown to readers).
from decimal import Decimal

from shop.models import Category, Product

pens = Category.objects.create(name="Pens")
pencils = Category.objects.create(name="Pencils")
accessories = Category.objects.create(name="Accessories")
paper = Category.objects.create(name="Paper")
Product.objects.bulk_create([
    Product(name="Fountain pen", category=pens, price=Decimal("24.00")),
    Product(name="Gel pen", category=pens, price=Decimal("6.00")),
    Product(name="Pencil", category=pencils, price=Decimal("0.80")),
    Product(name="Eraser", category=accessories, price=Decimal("1.20")),
    Product(name="Notebook", category=paper, price=Decimal("4.00"), in_stock=False),
])
