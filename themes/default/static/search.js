// djguide search client. Loads nothing until the search box is focused (or
// /search/?q= is opened), then fetches the index written by the build:
// search/meta.json, the term shards a query needs, and the fragments of the
// shown results. Text from the index is always inserted as text, never as HTML.
(function () {
  "use strict";

  // ---- Tokenizing: the same rules as src/search/tokenize.rs ----
  var FOLD = { "à": "a", "á": "a", "â": "a", "ã": "a", "ä": "a", "å": "a", "ā": "a", "ç": "c", "ć": "c", "č": "c",
    "è": "e", "é": "e", "ê": "e", "ë": "e", "ē": "e", "ę": "e", "ì": "i", "í": "i", "î": "i", "ï": "i", "ī": "i",
    "ñ": "n", "ń": "n", "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ö": "o", "ø": "o", "ō": "o", "ù": "u", "ú": "u",
    "û": "u", "ü": "u", "ū": "u", "ý": "y", "ÿ": "y", "ś": "s", "š": "s", "ź": "z", "ż": "z", "ž": "z", "ł": "l",
    "ς": "σ" };
  var CONNECTOR = /[_.+\-]/;
  // Rust's char::is_alphanumeric: the Alphabetic property (letters and the
  // vowel signs of scripts such as Devanagari) or a number.
  var WORD_CHAR = /[\p{Alphabetic}\p{N}_.+\-]/u;
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;

  // One character at a time, as Rust's fold does: a whole-string
  // toLowerCase() would turn a final capital sigma into ς by context.
  function fold(text) {
    var out = "";
    for (var c of text) {
      for (var lower of c.toLowerCase()) out += FOLD[lower] || lower;
    }
    return out;
  }
  function words(text) {
    var out = [], current = "";
    for (var c of fold(text) + " ") {
      if (WORD_CHAR.test(c)) { current += c; continue; }
      if (current) {
        var word = current.replace(/^[_.\-]+|[_.\-]+$/g, "").replace(/^\++/, "");
        if (ALNUM.test(word)) out.push(word);
        current = "";
      }
    }
    return out;
  }
  function variants(word) {
    var out = [word];
    if (CONNECTOR.test(word)) {
      if (word.indexOf(".") >= 0) {
        word.split(".").forEach(function (segment) {
          if (CONNECTOR.test(segment) && [...segment].length >= 2 && out.indexOf(segment) < 0) out.push(segment);
        });
      }
      var parts = word.split(/[_.+\-]/).filter(Boolean);
      parts.forEach(function (part) { if ([...part].length >= 2 && out.indexOf(part) < 0) out.push(part); });
      var joined = parts.join("");
      if ([...joined].length >= 2 && out.indexOf(joined) < 0) out.push(joined);
      var last = word.split(".").pop();
      if (word.indexOf(".") >= 0 && /\p{Alphabetic}/u.test(last) && out.indexOf("." + last) < 0) out.push("." + last);
    }
    return out;
  }
  // Words ending in s that are not plurals (https is not several http).
  var NOT_PLURALS = ["alias", "bias", "canvas", "https", "news", "series"];
  function stem(term) {
    var len = function (w) { return [...w].length; };
    if (len(term) < 4 || !/^\p{Alphabetic}+$/u.test(term) || NOT_PLURALS.indexOf(term) >= 0) return term;
    var w = term;
    if (/ies$/.test(w) && len(w) > 4) w = w.slice(0, -3) + "y";
    else if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/s$/.test(w) && !/(ss|us|is)$/.test(w) && len(w) > 3) w = w.slice(0, -1);
    var rules = [["ation", "at", 7], ["ing", "", 6], ["ed", "", 5]];
    for (var i = 0; i < rules.length; i++) {
      if (w.endsWith(rules[i][0]) && len(w) >= rules[i][2]) {
        w = w.slice(0, -rules[i][0].length) + rules[i][1];
        // logging -> logg -> log, stopped -> stop; called keeps its ll,
        // tattooed its oo (a doubled consonant other than l, s or z).
        if (!rules[i][1] && /([b-df-hj-kmnp-rtvwx])\1$/.test(w)) w = w.slice(0, -1);
        break;
      }
    }
    if (/e$/.test(w) && len(w) > 4) w = w.slice(0, -1);
    return w;
  }
  // Optimal string alignment distance: Levenshtein plus the transposition of
  // two neighbouring letters as one edit ("singal" is one edit from "signal").
  // Returns max + 1 as soon as the distance must exceed max.
  function typoDistance(a, b, max) {
    a = [...a]; b = [...b];
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var before = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
        if (cur[j] < best) best = cur[j];
      }
      if (best > max) return max + 1;
      before = prev; prev = cur;
    }
    return prev[b.length];
  }
  // Edits a word may be away from an index term: none for short words, where
  // one edit reaches too many other words.
  function typoBudget(word) {
    var n = [...word].length;
    return n >= 8 ? 2 : n >= 4 ? 1 : 0;
  }

  // Highlighting: a matched term counts only where it starts a word or an
  // identifier part ("related" in "select_related", never in "PrimaryKeyRelatedField"
  // or "id" in "inside"); a term of four letters or more may run on for a few
  // letters, as stems do ("migrat" marks "migrations").
  function matcher(terms) {
    var parts = [];
    terms.forEach(function (t) {
      variants(t).forEach(function (v) {
        var escaped = v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        if (v.length > 1 && parts.indexOf(escaped) < 0) parts.push(escaped + ([...v].length >= 4 ? "\\p{L}{0,4}" : ""));
      });
    });
    if (!parts.length) return null;
    parts.sort(function (a, b) { return b.length - a.length; });
    return new RegExp("(?<![\\p{L}\\p{N}])(?:" + parts.join("|") + ")(?![\\p{L}\\p{N}])", "giu");
  }
  // The text split into [text, isMatch] runs.
  function marks(text, terms) {
    var re = matcher(terms), out = [], last = 0, match;
    if (!re) return [[text, false]];
    while ((match = re.exec(fold(text)))) {
      if (!match[0].length) { re.lastIndex++; continue; }
      if (match.index > last) out.push([text.slice(last, match.index), false]);
      out.push([text.slice(match.index, match.index + match[0].length), true]);
      last = match.index + match[0].length;
    }
    if (last < text.length) out.push([text.slice(last), false]);
    return out;
  }
  // About `width` characters of `text` around its first match, cut at spaces.
  function excerpt(text, terms, width) {
    var re = matcher(terms), match = re && re.exec(fold(text));
    if (!match) return null;
    var start = Math.max(0, match.index - Math.round(width / 3)), end = Math.min(text.length, start + width);
    if (start > 0) { var space = text.indexOf(" ", start); start = space >= 0 && space < match.index ? space + 1 : start; }
    if (end < text.length) { var back = text.lastIndexOf(" ", end); end = back > match.index ? back : end; }
    return (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { fold: fold, words: words, variants: variants, stem: stem,
      typoDistance: typoDistance, typoBudget: typoBudget, marks: marks, excerpt: excerpt };
    return;
  }

  // ---- Index loading: every file at most once per page view ----
  var base = document.body.dataset.basePath || "/";
  var loaded = {};
  function getJSON(path) {
    return loaded[path] || (loaded[path] = fetch(base + path).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    }).catch(function (error) { delete loaded[path]; throw error; }));
  }
  // The guide's titles sit in t/0.json: fetched with meta.json, not after it.
  function loadMeta() { getJSON("search/t/0.json").catch(function () {}); return getJSON("search/meta.json"); }
  function shardIndex(m, term) {
    var b = m.bounds, lo = 0, hi = b.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (b[mid] <= term) lo = mid; else hi = mid - 1; }
    return lo;
  }
  var sortedTerms = {};
  // A shard maps term -> postings; its sorted term list makes prefix lookups a binary search.
  function loadShard(n) {
    return getJSON("search/s/" + n + ".json").then(function (map) {
      return { map: map, terms: sortedTerms[n] || (sortedTerms[n] = Object.keys(map).sort()) };
    });
  }
  function lowerBound(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < value) lo = mid + 1; else hi = mid; }
    return lo;
  }
  // What a result shows before its fragment arrives: URL, title, level, topic.
  function describe(m, doc) {
    var file = Math.floor(doc / m.titles_per_file);
    return getJSON("search/t/" + file + ".json").then(function (rows) {
      var row = rows[doc - file * m.titles_per_file];
      var level = m.levels[doc];
      return { url: row[0], title: row[1], topic: m.topics[row[2]] || "", level: { j: "junior", m: "mid", s: "senior" }[level] || level,
        levelLabel: m.level_labels[level] || level };
    });
  }
  // Fragments come a few neighbouring documents to a file (meta.fragments_per_file).
  function loadFragment(doc) {
    return loadMeta().then(function (m) {
      var per = m.fragments_per_file, file = Math.floor(doc / per);
      return getJSON("search/f/" + file + ".json").then(function (bundle) { return bundle[doc - file * per]; });
    });
  }

  // ---- Matching one query word ----
  // Candidate index terms for a word: {term: {weight, postings}}. The last
  // word of a query is still being typed, so it also matches as a prefix.
  function lookup(m, word, isLast) {
    var first = shardIndex(m, word), last = isLast ? shardIndex(m, word + "\uffff") : first;
    var wanted = [];
    for (var n = first; n <= Math.min(last, first + 2); n++) wanted.push(n);
    var stemmed = stem(word);
    if (stemmed !== word && wanted.indexOf(shardIndex(m, stemmed)) < 0) wanted.push(shardIndex(m, stemmed));
    return Promise.all(wanted.map(loadShard)).then(function (shards) {
      var found = {}, prefix = [], exact = false, stemOnly = false;
      function add(term, weight, postings) { if (!found[term] || found[term].weight < weight) found[term] = { weight: weight, postings: postings }; }
      shards.forEach(function (shard) {
        if (shard.map[word]) { add(word, 1, shard.map[word]); exact = true; }
        if (stemmed !== word && shard.map[stemmed]) { add(stemmed, 0.75, shard.map[stemmed]); stemOnly = true; }
        if (!isLast || [...word].length < 2) return;
        for (var i = lowerBound(shard.terms, word); i < shard.terms.length && shard.terms[i].startsWith(word); i++) {
          if (shard.terms[i] !== word) prefix.push([shard.terms[i], shard.map[shard.terms[i]]]);
        }
      });
      prefix.sort(function (a, b) { return b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1); });
      prefix.slice(0, 12).forEach(function (p) { add(p[0], 0.6, p[1]); });
      // `whole`: the word itself or its completions are indexed; a stem-only
      // hit ("stampeed" → "stamp") may be a typo that a correction explains better.
      var whole = exact || prefix.length > 0;
      return { found: found, exact: whole || stemOnly, whole: whole };
    });
  }
  // Index terms within the word's typo budget, closest and most used first.
  // A typo rarely hits the first letter, but it can move the word into the
  // next shard ("singal" sorts after "signal"), so the neighbours are read too.
  function corrections(m, word) {
    var max = typoBudget(word);
    if (!max) return Promise.resolve([]);
    var at = shardIndex(m, word), wanted = [at];
    if (at > 0) wanted.push(at - 1);
    if (at + 1 < m.bounds.length) wanted.push(at + 1);
    return Promise.all(wanted.map(loadShard)).then(function (shards) {
      var close = [];
      shards.forEach(function (shard) {
        shard.terms.forEach(function (term) {
          if (term[0] !== word[0] && term[1] !== word[1]) return;
          var d = typoDistance(word, term, max);
          if (d <= max) close.push([term, d, shard.map[term].length]);
        });
      });
      close.sort(function (a, b) { return a[1] - b[1] || b[2] - a[2] || (a[0] < b[0] ? -1 : 1); });
      var best = close.length ? close[0][1] : 0;
      return close.filter(function (c) { return c[1] === best; }).slice(0, 3);
    });
  }
  // Everything a query word matches: the word as written, its stem and, for
  // the last word, its completions; failing that, what its likely spellings
  // match (each correction looked up in full, so "singals" finds all that
  // "signals" finds), at a discount.
  function candidates(m, word, isLast) {
    return lookup(m, word, isLast).then(function (direct) {
      if (direct.whole) return direct.found;
      return corrections(m, word).then(function (close) {
        return Promise.all(close.map(function (c) { return lookup(m, c[0], isLast); })).then(function (looked) {
          var found = direct.found;
          looked.forEach(function (result, i) {
            var discount = close[i][1] === 1 ? 0.7 : 0.5;
            for (var term in result.found) {
              var weight = result.found[term].weight * discount;
              if (!found[term] || found[term].weight < weight) found[term] = { weight: weight, postings: result.found[term].postings };
            }
          });
          return found;
        });
      });
    });
  }

  // ---- Ranking (docs/search-ranking.md) ----
  // A query as parts: the words that must match and optional bonuses (a
  // whole compound, the qualifiers of a dotted name, adjacent words joined as
  // in "select related"). A dotted name is about its last part: `QuerySet.only`,
  // `qs.only()` and `django.db.models.F` must match `only` and `F`, and the
  // rest only adds; a file name (`manage.py`) stays whole. A compound the
  // index does not know whole is matched by its parts: `mulit-tenancy` needs
  // both.
  var FILE_EXTENSIONS = ["py", "txt", "html", "json", "toml", "cfg", "ini", "yml", "yaml", "js", "css", "md", "sh", "conf"];
  function plan(m, query) {
    var finished = /[^\p{L}\p{N}_]$/u.test(query);
    var qwords = words(query).filter(function (w, i, all) { return all.indexOf(w) === i && m.stopwords.indexOf(w) < 0; }).slice(0, 8);
    var bonus = [];
    for (var k = 0; k + 1 < qwords.length; k++) bonus.push([qwords[k] + qwords[k + 1], false, 1]);
    // The last word may be a compound still being typed (`select_re`): its
    // completions (`select_related`) count as knowing it whole.
    return Promise.all(qwords.map(function (w, i) {
      return CONNECTOR.test(w) ? lookup(m, w, i === qwords.length - 1).then(function (whole) { return whole.exact; }) : true;
    })).then(function (known) {
      var required = [];
      qwords.forEach(function (w, i) {
        var isLast = i === qwords.length - 1;
        var segments = w.split(".").filter(Boolean);
        var fileName = segments.length === 2 && FILE_EXTENSIONS.indexOf(segments[1]) >= 0;
        if (segments.length > 1 && !fileName) {
          bonus.push([w, false, 1]);
          bonus.push(["." + segments[segments.length - 1], false, 1]);
          required.push([segments.pop(), isLast]);
          segments.forEach(function (q) { if ([...q].length >= 2) bonus.push([q, false, 0.6]); });
          return;
        }
        if (known[i]) {
          required.push([w, isLast]);
          // Pages that call it (`.only(`) over pages that merely say the word
          // (`queryset only`); not for a lone word still being typed, which
          // would fetch a file per key.
          if (w.indexOf(".") < 0 && /\p{L}/u.test(w) && (!isLast || finished || (qwords.length > 1 && [...w].length >= 3))) bonus.push(["." + w, false, 0.5]);
          return;
        }
        bonus.push([w, false, 1]);
        var parts = w.split(/[_+\-.]/).filter(function (part) { return [...part].length >= 2; });
        parts.forEach(function (part, j) { required.push([part, isLast && j === parts.length - 1]); });
      });
      return { words: required, bonus: bonus };
    });
  }

  // Ranked results: [{doc, score, section, terms}], best first.
  function search(query) {
    return loadMeta().then(function (m) {
      return plan(m, query).then(function (p) {
        if (!p.words.length) return [];
        var all = p.words.concat(p.bonus);
        return Promise.all(all.map(function (w) { return candidates(m, w[0], w[1]); })).then(function (found) {
          return phrases(m, p, rank(m, p, found));
        });
      });
    });
  }
  // A title that holds the query's words in order, side by side ("N+1 query"
  // in "What is the N+1 query problem?") is the question asked, above titles
  // that hold them apart. Checked for the leading results whose titles the
  // page loads anyway to show them.
  var PHRASE_DEPTH = 20, SHOWN = 8, FOCUS = 150;
  function phrases(m, p, list) {
    if (!list.length) return list;
    var files = {};
    list.slice(0, SHOWN).forEach(function (e) { files[Math.floor(e.doc / m.titles_per_file)] = true; });
    var numbers = Object.keys(files);
    return Promise.all(numbers.map(function (n) { return getJSON("search/t/" + n + ".json"); })).then(function (loaded) {
      var rows = {};
      numbers.forEach(function (n, i) { rows[n] = loaded[i]; });
      list.slice(0, PHRASE_DEPTH).forEach(function (e) {
        var file = Math.floor(e.doc / m.titles_per_file), row = rows[file] && rows[file][e.doc - file * m.titles_per_file];
        if (!row) return;
        var written = words(row[1]);
        var phrase = p.words.length > 1 ? phraseIn(titleWords(m, written), p.words) : 0;
        if (phrase) e.tier = 1 + phrase;
        e.score += FOCUS * focus(m, written, p.words);
      });
      return list.sort(function (a, b) { return b.tier - a.tier || b.score - a.score || a.doc - b.doc; });
    });
  }
  // The share of a title's words that the query names: of two titles with
  // the query's words, the one that is about little else ("What is
  // middleware in Django?") is the question asked.
  // A compound counts as one word of the title, half named when the query
  // names one of its parts (`only` in `read_only`).
  function focus(m, written, query) {
    var tokens = written.filter(function (w) { return m.stopwords.indexOf(w) < 0; });
    if (!tokens.length) return 0;
    var names = function (t, q) { return t === q[0] || stem(t) === stem(q[0]) || (q[1] && t.startsWith(q[0])); };
    var named = 0;
    tokens.forEach(function (t) {
      var parts = t.split(/[_.\-]/);
      if (query.some(function (q) { return names(t, q); })) named += 1;
      else if (parts.length > 1 && query.some(function (q) { return parts.some(function (part) { return names(part, q); }); })) named += 0.5;
    });
    return named / tokens.length;
  }
  // A title's words with compounds split into their parts, stopwords left out.
  function titleWords(m, written) {
    var out = [];
    written.forEach(function (w) {
      w.split(/[_.\-]/).forEach(function (part) { if (part && m.stopwords.indexOf(part) < 0) out.push(part); });
    });
    return out;
  }
  // 2 if the title has the query words in order as typed, 1 if only as
  // other forms of them ("queries" for "query"), 0 if not side by side.
  function phraseIn(tokens, query) {
    var best = 0;
    for (var start = 0; start + query.length <= tokens.length; start++) {
      var exact = true, k;
      for (k = 0; k < query.length; k++) {
        var t = tokens[start + k], q = query[k][0];
        if (t === q || (query[k][1] && k === query.length - 1 && t.startsWith(q))) continue;
        if (stem(t) !== stem(q)) break;
        exact = false;
      }
      if (k === query.length) best = Math.max(best, exact ? 2 : 1);
    }
    return best;
  }

  // A word found in more than this share of the questions says little about
  // which one is meant ("how", "django"): it still scores, but a question
  // need not contain it to count as matching the whole query.
  var COMMON_SHARE = 0.4, COMMON_WEIGHT = 0.3, TITLE_BONUS = 30;
  function rank(m, p, found) {
    var n = p.words.length, docs = {};
    found.forEach(function (candidates, w) {
      for (var term in candidates) {
        var c = candidates[term], postings = c.postings, doc = 0;
        for (var i = 0; i < postings.length; i += 3) {
          doc += postings[i];
          var e = docs[doc] || (docs[doc] = { doc: doc, best: [], title: [], sections: [], section: 0, sectionScore: 0, terms: [] });
          var score = c.weight * postings[i + 1], section = postings[i + 2] >> 1;
          if (!(e.best[w] >= score)) { e.best[w] = score; e.sections[w] = section; }
          if (postings[i + 2] & 1) e.title[w] = true;
          if (e.terms.indexOf(term) < 0) e.terms.push(term);
          if (section && score > e.sectionScore) { e.section = section; e.sectionScore = score; }
        }
      }
    });
    var list = Object.keys(docs).map(function (k) { return docs[k]; });
    // Which words decide coverage: found at all (a stopword or a typo too far
    // cannot empty the list) and, in a query of several, not common.
    var frequency = [], inTitles = [];
    list.forEach(function (e) {
      for (var w = 0; w < n; w++) {
        if (e.best[w]) frequency[w] = (frequency[w] || 0) + 1;
        if (e.title[w]) inTitles[w] = (inTitles[w] || 0) + 1;
      }
    });
    var deciding = [];
    for (var w = 0; w < n; w++) {
      if (frequency[w] && (n === 1 || frequency[w] <= COMMON_SHARE * m.documents)) deciding.push(w);
    }
    if (!deciding.length) for (w = 0; w < n; w++) if (frequency[w]) deciding.push(w);
    var wordsFound = 0;
    for (w = 0; w < n; w++) if (frequency[w]) wordsFound++;
    list.forEach(function (e) {
      var matched = 0, inTitle = 0, titled = 0, sum = 0, bonus = 0, titleBonus = 0, places = {};
      for (var w = 0; w < found.length; w++) {
        if (!e.best[w]) continue;
        if (w >= n) { bonus += e.best[w] * p.bonus[w - n][2]; continue; }
        if (e.sections[w]) places[e.sections[w]] = true;
        if (frequency[w] && e.title[w]) titled++;
        if (deciding.indexOf(w) < 0) { sum += COMMON_WEIGHT * e.best[w]; continue; }
        sum += e.best[w];
        matched++;
        if (e.title[w]) inTitle++;
      }
      // A word in few titles names those questions, however common it is in
      // answers ("only" in "When do you use only(), defer()...").
      for (w = 0; w < n; w++) if (e.title[w]) titleBonus += TITLE_BONUS * Math.log(1 + m.documents / inTitles[w]);
      var coverage = deciding.length ? matched / deciding.length : 1;
      e.score = sum * coverage * coverage + titleBonus + bonus;
      // Words that meet in one section of the answer are about one thing.
      if (Object.keys(places).length === 1 && n > 1 && matched > 1) e.score *= 1.25;
      // A title with every deciding word is the question being asked.
      e.tier = deciding.length && inTitle === deciding.length && titled === wordsFound ? 1 : 0;
    });
    return list.sort(function (a, b) { return b.tier - a.tier || b.score - a.score || a.doc - b.doc; });
  }

  // Exposed for the benchmark and tests: ranked results without rendering.
  window.djguideSearch = search;

  // ---- Rendering (text nodes only) ----
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }
  function highlight(node, text, terms) {
    node.replaceChildren();
    marks(text, terms).forEach(function (run) {
      node.appendChild(run[1] ? el("mark", null, run[0]) : document.createTextNode(run[0]));
    });
  }
  // A result from the titles file: it shows at once, and its snippet and
  // deep link follow when its fragment is fetched (see `enrich`).
  function renderResult(item, info, result) {
    var link = item.tagName === "A" ? item : item.appendChild(el("a", "search-result-link"));
    link.href = info.url;
    highlight(link.appendChild(el("span", "search-result-title")), info.title, result.terms);
    var metaLine = link.appendChild(el("span", "search-result-meta"));
    metaLine.appendChild(el("span", "badge badge-" + info.level, info.levelLabel));
    metaLine.appendChild(el("span", "search-result-where", info.topic));
    link.appendChild(el("span", "search-result-snippet"));
    return link;
  }
  // The URL and topic come from the titles file (see `renderResult`).
  function enrich(link, fragment, result) {
    if (link.dataset.enriched) return;
    link.dataset.enriched = "1";
    var section = fragment.sections[result.section];
    var where = link.querySelector(".search-result-where");
    if (section && section[0]) link.href = link.getAttribute("href") + "#" + section[0];
    if (section && section[1]) where.textContent = where.textContent + " › " + section[1];
    // A section's text starts with its heading, which the meta line already shows.
    var body = section ? section[2] : "";
    if (section && section[1] && body.startsWith(section[1])) body = body.slice(section[1].length).trim();
    var text = (body && excerpt(body, result.terms, 180)) || excerpt(fragment.summary, result.terms, 180) || fragment.summary;
    highlight(link.querySelector(".search-result-snippet"), text, result.terms);
  }
  // Fragments for the given results, once typing has paused; `stale()` says
  // whether a newer query has replaced them in the meantime.
  var PAUSE_MS = 250;
  function enrichLater(links, results, stale) {
    setTimeout(function () {
      if (stale()) return;
      links.forEach(function (link, i) {
        loadFragment(results[i].doc).then(function (fragment) { if (!stale()) enrich(link, fragment, results[i]); }).catch(function () {});
      });
    }, PAUSE_MS);
  }
  function describeAll(results) {
    return loadMeta().then(function (m) { return Promise.all(results.map(function (r) { return describe(m, r.doc); })); });
  }

  function levelChips(m, onChange) {
    var group = el("div", "search-chips");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Filter by level");
    [["", "All levels"]].concat(Object.keys(m.level_labels).sort(function (a, b) { return "jms".indexOf(a) - "jms".indexOf(b); })
      .map(function (k) { return [k, m.level_labels[k]]; })).forEach(function (level) {
      var button = group.appendChild(el("button", "chip", level[1]));
      button.type = "button";
      button.dataset.level = level[0];
      button.setAttribute("aria-pressed", level[0] === "" ? "true" : "false");
      button.addEventListener("mousedown", function (e) { e.preventDefault(); });
      button.addEventListener("click", function () {
        group.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
        onChange(level[0]);
      });
    });
    return group;
  }
  function filtered(results, level) {
    return loadMeta().then(function (m) {
      return level ? results.filter(function (r) { return m.levels[r.doc] === level; }) : results;
    });
  }
  function countText(n) { return n + (n === 1 ? " result" : " results"); }

  // ---- The search box on every page: results as you type ----
  var SNIPPETS_IN_POPUP = 3;
  var input = document.getElementById("search-input");
  if (input) {
    var form = input.form, popup = el("div", "search-popup"), list = el("div", "search-list");
    var status = el("p", "search-popup-status");
    var level = "", active = -1, generation = 0, lastQuery = null;
    popup.id = "search-popup";
    popup.hidden = true;
    list.id = "search-listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    status.setAttribute("aria-live", "polite");
    popup.appendChild(status);
    popup.appendChild(list);
    form.appendChild(popup);
    loadMeta().then(function (m) {
      popup.insertBefore(levelChips(m, function (l) { level = l; lastQuery = null; update(); }), status);
    }).catch(function () {});
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "search-listbox");

    var open = function (show) { popup.hidden = !show; input.setAttribute("aria-expanded", String(show)); };
    var shownResults = [];
    var enrichOption = function (option) {
      var i = Number(option.dataset.index), result = shownResults[i];
      if (result && !option.dataset.enriched) loadFragment(result.doc).then(function (f) { enrich(option, f, result); }).catch(function () {});
    };
    var setActive = function (index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
      active = (index + options.length) % options.length;
      options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
      enrichOption(options[active]);
    };
    var update = function () {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      var mine = ++generation, stale = function () { return mine !== generation; };
      if (!query) { list.replaceChildren(); status.textContent = ""; open(false); return; }
      search(query).then(function (results) { return filtered(results, level); }).then(function (results) {
        if (stale()) return;
        var shown = results.slice(0, 8);
        return describeAll(shown).then(function (infos) {
          if (stale()) return;
          list.replaceChildren();
          shownResults = shown;
          var links = shown.map(function (r, i) {
            var option = el("a", "search-option");
            option.id = "search-option-" + i;
            option.dataset.index = i;
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", "false");
            option.addEventListener("pointerenter", function () { enrichOption(option); });
            list.appendChild(option);
            return renderResult(option, infos[i], r);
          });
          list.dataset.query = query;
          status.textContent = results.length ? countText(results.length) : "No results for “" + query + "”";
          active = -1;
          open(true);
          enrichLater(links.slice(0, SNIPPETS_IN_POPUP), shown, stale);
        });
      }).catch(function () { if (!stale()) { status.textContent = "Search is unavailable."; open(true); } });
    };
    var wake = function () { loadMeta().catch(function () {}); if (input.value.trim()) { lastQuery = null; update(); } };
    input.addEventListener("focus", wake);
    // This script loads on first focus: the reader may already be typing.
    if (document.activeElement === input) wake();
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (popup.hidden) update(); setActive(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); setActive(active - 1); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        var option = list.querySelectorAll("[role=option]")[active];
        if (option) window.location.href = option.href;
      } else if (event.key === "Escape") { open(false); input.setAttribute("aria-expanded", "false"); active = -1; }
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) open(false); });
  }

  // ---- /search/?q=...: results on a page of their own, as you type ----
  var page = document.querySelector("[data-search-results]");
  if (page) {
    var pageInput = document.getElementById("search-page-input");
    var pageStatus = document.querySelector(".search-status");
    var pageLevel = "", pageGeneration = 0, pageQuery = null;
    var query = new URLSearchParams(window.location.search).get("q") || "";
    if (pageInput) pageInput.value = query;
    // Snippets for the results that scroll into view, once typing pauses.
    var watcher = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        watcher.unobserve(entry.target);
        entry.target.dispatchEvent(new Event("djguide:visible"));
      });
    }) : null;
    var run = function (force) {
      if (!force && query === pageQuery) return;
      pageQuery = query;
      var mine = ++pageGeneration, stale = function () { return mine !== pageGeneration; };
      if (!query.trim()) { page.replaceChildren(); pageStatus.textContent = "Type a question, an API name or a concept."; return; }
      if (!page.children.length) pageStatus.textContent = "Searching…";
      search(query).then(function (results) { return filtered(results, pageLevel); }).then(function (results) {
        if (stale()) return;
        var shown = results.slice(0, 50);
        return describeAll(shown).then(function (infos) {
          if (stale()) return;
          if (watcher) watcher.disconnect();
          page.replaceChildren();
          shown.forEach(function (r, i) {
            var link = renderResult(page.appendChild(el("li", "search-result")), infos[i], r);
            var load = function () { enrichLater([link], [r], stale); };
            if (watcher) { link.addEventListener("djguide:visible", load, { once: true }); watcher.observe(link); } else if (i < 10) load();
          });
          page.dataset.query = query;
          pageStatus.textContent = results.length
            ? countText(results.length) + " for “" + query + "”"
            : "No results for “" + query + "”. Try fewer or different words.";
        });
      }).catch(function () { if (!stale()) pageStatus.textContent = "Search is unavailable."; });
    };
    if (pageInput) {
      pageInput.addEventListener("input", function () {
        query = pageInput.value;
        var url = new URL(window.location.href);
        if (query.trim()) url.searchParams.set("q", query); else url.searchParams.delete("q");
        history.replaceState(null, "", url.pathname + url.search + url.hash);
        run(false);
      });
      pageInput.form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
    }
    loadMeta().then(function (m) {
      page.parentNode.insertBefore(levelChips(m, function (l) { pageLevel = l; run(true); }), page);
    }).catch(function () {});
    run(true);
  }
})();
