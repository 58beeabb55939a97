# Seed for content/scenarios/memory-leak-in-worker.md: 20,000 events with a text payload.
from reports.models import Event

Event.objects.bulk_create(
    Event(kind=("click", "view", "purchase")[_i % 3], payload="x" * 400)
    for _i in range(20_000)
)
