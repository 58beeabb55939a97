# Seed rows for content/orm/jsonfield.md (not shown to readers).
from events.models import Event

Event.objects.create(kind="order", payload={
    "user": {"country": "IE", "plan": "pro"}, "items": [{"sku": "A1", "qty": 2}], "total": 80})
Event.objects.create(kind="order", payload={
    "user": {"country": "FR", "plan": "free"}, "items": [{"sku": "B7", "qty": 1}], "total": 20,
    "coupon": "SPRING"})
Event.objects.create(kind="order", payload={"user": {"plan": "pro"}, "items": [], "total": 0})
Event.objects.create(kind="signup", payload={"user": {"country": "IE"}})
