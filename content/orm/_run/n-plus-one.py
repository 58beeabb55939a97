# Seed rows for content/orm/n-plus-one.md (not shown to readers).
import datetime
from decimal import Decimal
from pathlib import Path

from catalog.models import Author, Book, Publisher, Review

# The list template as the page shows it after the fix ("How to fix it"): the
# runner only writes Python files, so this fixture writes the template.
template = Path("catalog/templates/catalog/book_list.html")
template.parent.mkdir(parents=True, exist_ok=True)
template.write_text(
    "{% for book in books %}\n"
    "  <li>\n"
    "    {{ book.title }}, {{ book.publisher.name }}\n"
    "    by {% for author in book.authors.all %}{{ author.name }}"
    "{% if not forloop.last %}, {% endif %}{% endfor %}\n"
    "    ({{ book.review_count }} reviews)\n"
    "  </li>\n"
    "{% endfor %}\n"
)

harbour = Publisher.objects.create(name="Harbour Press", country="GB")
northlight = Publisher.objects.create(name="Northlight", country="IE")
ada = Author.objects.create(name="Ada Byrne")
tom = Author.objects.create(name="Tom Keane")


def book(title, publisher, authors, ratings):
    b = Book.objects.create(title=title, publisher=publisher, price=Decimal("20.00"),
                            published=datetime.date(2024, 3, 1))
    b.authors.add(*authors)
    for rating in ratings:
        Review.objects.create(book=b, rating=rating, body="...")
    return b


book("The Salt Road", harbour, [ada], [5, 4])
book("Copper Sky", northlight, [ada, tom], [3])
book("Anchor Point", northlight, [tom], [])
