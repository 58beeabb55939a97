# Seed for content/scenarios/cache-served-another-users-data.md: two users with API tokens.
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

for _name in ["alice", "bob"]:
    Token.objects.create(user=get_user_model().objects.create_user(_name))
del _name
