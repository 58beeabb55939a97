# Seed rows for content/orm/full-text-search-postgres.md (not shown to readers).
from articles.models import Article

Article.objects.create(title="Running Django in production",
                       body="Gunicorn, Nginx and a careful production checklist for running Django.")
Article.objects.create(title="Marathon training",
                       body="She runs every morning; a long run on Sundays builds endurance.")
Article.objects.create(title="Deploying a Django project",
                       body="Docker images, migrations and static files for production deploys.")
Article.objects.create(title="Brunch recipes", body="Eggs, toast and coffee for a slow Sunday.")
