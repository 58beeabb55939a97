"""Give every question of a generated corpus its own title.

../shared/bench/gen_corpus.py reuses a few dozen titles across thousands of pages,
and djguide rejects a repeated title (an author's mistake on a real site). The
benchmarks measure building and searching, not that check, so each repeat gets the
page's file name appended: `Authentication backends: common interview questions
(authentication-backends-common-interview-questions-06150)`.

    python3 bench/unique_titles.py CORPUS_DIR
"""
import pathlib
import re
import sys

TITLE = re.compile(r'^title = "(.*)"$', re.M)


def main(root):
    seen = set()
    for path in sorted(pathlib.Path(root, "content").rglob("*.md")):
        if path.name == "_index.md":
            continue
        text = path.read_text("utf-8")
        match = TITLE.search(text)
        if not match:
            continue
        title = match.group(1)
        if title in seen:
            title = f"{title} ({path.stem})"
            text = text[:match.start()] + f'title = "{title}"' + text[match.end():]
            path.write_text(text, "utf-8")
        seen.add(title)


if __name__ == "__main__":
    main(sys.argv[1])
