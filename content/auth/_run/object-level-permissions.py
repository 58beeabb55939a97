# Seed for content/auth/object-level-permissions.md: users and projects the
# page's shell steps refer to by name. Not shown to readers.
from django.contrib.auth import get_user_model

from projects.models import Membership, Project

User = get_user_model()
root = User.objects.create_superuser("root", email="root@example.com", password=None)
dave = User.objects.create_user("dave")
carol = User.objects.create_user("carol")  # pk 3, as in the SQL the page shows

apollo = Project.objects.create(name="Apollo", owner=carol)
borealis = Project.objects.create(name="Borealis", owner=dave)
cassini = Project.objects.create(name="Cassini", owner=dave)
Project.objects.create(name="Dione", owner=dave)
Membership.objects.create(project=borealis, user=carol, role=Membership.Role.EDITOR)
Membership.objects.create(project=cassini, user=carol, role=Membership.Role.VIEWER)
del root, dave, carol, apollo, borealis, cassini
