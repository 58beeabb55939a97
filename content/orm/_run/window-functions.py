# Seed rows for content/orm/window-functions.md (not shown to readers).
from staff.models import Employee

for name, dept, salary in [
    ("Ana", "eng", 120), ("Cy", "eng", 100), ("Ben", "eng", 100),
    ("Dee", "eng", 90), ("Eve", "ops", 80), ("Finn", "ops", 70),
]:
    Employee.objects.create(name=name, department=dept, salary=salary)
