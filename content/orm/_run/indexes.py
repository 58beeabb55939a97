# Seed rows for content/orm/indexes.md (not shown to readers): 300,000 orders from
# 1,000 customers, 15,000 of them pending, the rest mostly paid; then ANALYZE so the
# planner has statistics, as it would on a real table.
from django.contrib.auth import get_user_model
from django.db import connection

User = get_user_model()
User.objects.bulk_create(User(username=f"customer{i}") for i in range(1, 1001))
with connection.cursor() as cursor:
    cursor.execute("""
        INSERT INTO shop_order (customer_id, email, status, total, created_at)
        SELECT u.id,
               'customer' || (n % 1000 + 1) || '@example.com',
               CASE WHEN n % 20 = 0 THEN 'pending'
                    WHEN n % 20 = 1 THEN 'cancelled'
                    ELSE 'paid' END,
               (n % 500) + 0.99,
               TIMESTAMPTZ '2026-01-01 00:00:00+00' + n * INTERVAL '1 minute'
        FROM generate_series(1, 300000) AS n
        JOIN auth_user u ON u.username = 'customer' || (n % 1000 + 1)
    """)
    cursor.execute("ANALYZE shop_order")
del User, cursor
