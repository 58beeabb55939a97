# Seed for content/scenarios/deploy-logged-everyone-out.md: the user the page logs in.
from django.contrib.auth import get_user_model

get_user_model().objects.create_user("alice", password="correct horse battery")
