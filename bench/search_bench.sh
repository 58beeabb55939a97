#!/usr/bin/env bash
# Search benchmark: djguide's index and client against Pagefind 1.6 on the same
# built sites — the real guide (with the ranking query set in
# bench/search-queries.json) and generated corpora (default 1,000 and 10,000
# pages; set PAGES="1000" for a quicker run). Needs Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --prefix tools --no-audit --no-fund --loglevel=error
cargo build --release --quiet --locked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build_site() { # root output
  ./target/release/djguide build --root "$1" --output "$2" --base-url http://127.0.0.1/ >/dev/null
}

build_site . "$work/guide"
node tools/search-bench.mjs --site "$work/guide" --queries bench/search-queries.json \
  --label "the guide ($(ls content/*/*.md | grep -vc _index) questions)"
# Written after the ranking was tuned on the set above, to check that the
# tuning carries over to queries it never saw.
node tools/search-bench.mjs --site "$work/guide" --queries bench/search-queries-heldout.json \
  --label "the guide, held-out queries"

for pages in ${PAGES:-1000 10000}; do
  python3 ../shared/bench/gen_corpus.py --pages "$pages" --out "$work/corpus-$pages" --quiet
  python3 bench/unique_titles.py "$work/corpus-$pages"
  printf 'title = "Bench"\nbase_url = "http://127.0.0.1/"\n' > "$work/corpus-$pages/site.toml"
  build_site "$work/corpus-$pages" "$work/corpus-$pages/public"
  node tools/search-bench.mjs --site "$work/corpus-$pages/public" --label "generated corpus, $pages pages"
done
