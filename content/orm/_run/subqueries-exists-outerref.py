# Seed rows for content/orm/subqueries-exists-outerref.md (not shown to readers).
import datetime

from blog.models import Author, Post

utc = datetime.timezone.utc
ana = Author.objects.create(name="Ana")
ben = Author.objects.create(name="Ben")
cy = Author.objects.create(name="Cy")
Post.objects.create(author=ana, title="Intro to indexes", status="published",
                    published_at=datetime.datetime(2026, 1, 5, tzinfo=utc))
Post.objects.create(author=ana, title="Scaling reads", status="published",
                    published_at=datetime.datetime(2026, 3, 1, tzinfo=utc))
Post.objects.create(author=ana, title="Unfinished", status="draft")
Post.objects.create(author=ben, title="Draft only", status="draft")
Post.objects.create(author=cy, title="Hello", status="published",
                    published_at=datetime.datetime(2026, 2, 1, tzinfo=utc))
