from catalog.models import Author, Book, Publisher

_publishers = [Publisher.objects.create(name=name) for name in ("Northlight", "Harbour Press", "Quayside")]
_authors = [Author.objects.create(name=name) for name in ("Ada Byrne", "Tomas Reyes")]
for _i, _title in enumerate(["Anchor Point", "Copper Sky", "The Salt Road", "Low Tide", "Red Harbour"]):
    _book = Book.objects.create(title=_title, publisher=_publishers[_i % 3], blurb=f"About {_title}.")
    _book.authors.add(_authors[_i % 2])
