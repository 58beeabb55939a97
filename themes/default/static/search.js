// djguide search client. Loads nothing until the search box is focused (or
// /search/?q= is opened), then fetches the index written by the build:
// search/meta.json, the term shards a query needs, and a fragment per shown
// result. Text from the index is always inserted as text, never as HTML.
(function () {
  "use strict";

  // ---- Tokenizing: the same rules as src/search/tokenize.rs ----
  var FOLD = { "à": "a", "á": "a", "â": "a", "ã": "a", "ä": "a", "å": "a", "ā": "a", "ç": "c", "ć": "c", "č": "c",
    "è": "e", "é": "e", "ê": "e", "ë": "e", "ē": "e", "ę": "e", "ì": "i", "í": "i", "î": "i", "ï": "i", "ī": "i",
    "ñ": "n", "ń": "n", "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ö": "o", "ø": "o", "ō": "o", "ù": "u", "ú": "u",
    "û": "u", "ü": "u", "ū": "u", "ý": "y", "ÿ": "y", "ś": "s", "š": "s", "ź": "z", "ż": "z", "ž": "z", "ł": "l" };
  var CONNECTOR = /[_.+\-]/;
  var WORD_CHAR = /[\p{L}\p{N}_.+\-]/u;
  var ALNUM = /[\p{L}\p{N}]/u;

  function fold(text) {
    var out = "";
    for (var c of text.toLowerCase()) out += FOLD[c] || c;
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
    }
    return out;
  }
  function stem(term) {
    var len = function (w) { return [...w].length; };
    if (len(term) < 4 || !/^\p{L}+$/u.test(term)) return term;
    var w = term;
    if (/ies$/.test(w) && len(w) > 4) w = w.slice(0, -3) + "y";
    else if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/s$/.test(w) && !/(ss|us|is)$/.test(w) && len(w) > 3) w = w.slice(0, -1);
    var rules = [["ation", "at", 7], ["ing", "", 6], ["ed", "", 5]];
    for (var i = 0; i < rules.length; i++) {
      if (w.endsWith(rules[i][0]) && len(w) >= rules[i][2]) { w = w.slice(0, -rules[i][0].length) + rules[i][1]; break; }
    }
    if (/e$/.test(w) && len(w) > 4) w = w.slice(0, -1);
    return w;
  }
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { fold: fold, words: words, variants: variants, stem: stem };
    return;
  }

  // ---- Index loading ----
  var base = document.body.dataset.basePath || "/";
  var meta = null, shards = {}, fragments = {};
  function getJSON(path) {
    return fetch(base + path).then(function (r) { if (!r.ok) throw new Error(path + ": " + r.status); return r.json(); });
  }
  function loadMeta() { return meta || (meta = getJSON("search/meta.json")); }
  function shardIndex(m, term) {
    var b = m.bounds, lo = 0, hi = b.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (b[mid] <= term) lo = mid; else hi = mid - 1; }
    return lo;
  }
  // A shard maps term -> postings; its sorted term list makes prefix lookups a binary search.
  function loadShard(n) {
    return shards[n] || (shards[n] = getJSON("search/s/" + n + ".json").then(function (map) {
      return { map: map, terms: Object.keys(map).sort() };
    }));
  }
  function lowerBound(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < value) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function loadFragment(doc) { return fragments[doc] || (fragments[doc] = getJSON("search/f/" + doc + ".json")); }

  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (cur[j] < best) best = cur[j];
      }
      if (best > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  // Candidate index terms for one query word, with how much a match counts.
  function candidates(m, word, isLast) {
    var first = shardIndex(m, word), last = isLast ? shardIndex(m, word + "\uffff") : first;
    var wanted = [];
    for (var n = first; n <= Math.min(last, first + 2); n++) wanted.push(n);
    var stemmed = stem(word);
    if (stemmed !== word) wanted.push(shardIndex(m, stemmed));
    return Promise.all(wanted.map(loadShard)).then(function (loaded) {
      var found = {}, prefix = [];
      function add(term, weight, postings) { if (!found[term] || found[term].weight < weight) found[term] = { weight: weight, postings: postings }; }
      loaded.forEach(function (shard) {
        if (shard.map[word]) add(word, 1, shard.map[word]);
        if (shard.map[stemmed] && stemmed !== word) add(stemmed, 0.75, shard.map[stemmed]);
        if (!isLast || word.length < 2) return;
        for (var i = lowerBound(shard.terms, word); i < shard.terms.length && shard.terms[i].startsWith(word); i++) {
          if (shard.terms[i] !== word) prefix.push([shard.terms[i], shard.map[shard.terms[i]]]);
        }
      });
      prefix.sort(function (a, b) { return b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1); });
      prefix.slice(0, 12).forEach(function (p) { add(p[0], 0.6, p[1]); });
      if (!Object.keys(found).length && [...word].length >= 4) {
        var max = [...word].length >= 8 ? 2 : 1;
        loaded.forEach(function (shard) {
          shard.terms.forEach(function (term) {
            var d = editDistance(word, term, max);
            if (d <= max) add(term, d === 1 ? 0.5 : 0.35, shard.map[term]);
          });
        });
      }
      return found;
    });
  }

  // Ranked results: [{doc, score, section, terms}], best first.
  function search(query) {
    var qwords = words(query).slice(0, 8);
    if (!qwords.length) return Promise.resolve([]);
    // Adjacent words may be one identifier typed with a space ("select
    // related" for select_related): their joined form is looked up too, and a
    // match counts as a bonus on top of the words themselves.
    var pairs = [];
    for (var k = 0; k + 1 < qwords.length; k++) pairs.push(qwords[k] + qwords[k + 1]);
    return loadMeta().then(function (m) {
      return Promise.all(qwords.map(function (w, i) { return candidates(m, w, i === qwords.length - 1); })
        .concat(pairs.map(function (p) { return candidates(m, p, false); })));
    }).then(function (found) {
      var perWord = found.slice(0, qwords.length);
      var docs = {};
      found.forEach(function (found, wordIndex) {
        for (var term in found) {
          var c = found[term], p = c.postings, doc = 0;
          for (var i = 0; i < p.length; i += 3) {
            doc += p[i];
            var entry = docs[doc] || (docs[doc] = { doc: doc, best: [], section: 0, sectionScore: 0, terms: [] });
            var s = c.weight * p[i + 1];
            if (!(entry.best[wordIndex] >= s)) entry.best[wordIndex] = s;
            if (entry.terms.indexOf(term) < 0) entry.terms.push(term);
            if (p[i + 2] && s > entry.sectionScore) { entry.section = p[i + 2]; entry.sectionScore = s; }
          }
        }
      });
      // Soft AND: a document matching fewer of the words ranks lower but is
      // not dropped, so a stray word ("vs", a typo too far) cannot empty the list.
      var list = Object.keys(docs).map(function (k) { return docs[k]; });
      list.forEach(function (e) {
        var words = e.best.slice(0, perWord.length), bonus = e.best.slice(perWord.length);
        var matched = words.filter(function (x) { return x > 0; }).length;
        var coverage = matched / perWord.length;
        var sum = function (a, b) { return a + (b || 0); };
        e.score = words.reduce(sum, 0) * coverage * coverage + bonus.reduce(sum, 0);
      });
      return list.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    });
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
  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function highlight(node, text, terms) {
    var parts = [];
    terms.forEach(function (t) { variants(t).forEach(function (v) { if (v.length > 1) parts.push(escapeRegExp(v)); }); });
    if (!parts.length) { node.appendChild(document.createTextNode(text)); return; }
    var re = new RegExp("(" + parts.sort(function (a, b) { return b.length - a.length; }).join("|") + ")", "gi");
    var last = 0, match;
    while ((match = re.exec(text))) {
      if (match.index > last) node.appendChild(document.createTextNode(text.slice(last, match.index)));
      node.appendChild(el("mark", null, match[0]));
      last = re.lastIndex;
      if (match[0].length === 0) re.lastIndex++;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
  }
  function snippet(fragment, result) {
    var section = fragment.sections[result.section] || fragment.sections[0] || ["", "", ""];
    var text = section[2] || fragment.summary;
    var lower = fold(text), at = -1;
    result.terms.forEach(function (t) { var i = lower.indexOf(t); if (i >= 0 && (at < 0 || i < at)) at = i; });
    if (at < 0) return fragment.summary;
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + 140);
    return (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
  }
  function resultURL(fragment, result) {
    var section = fragment.sections[result.section];
    return fragment.url + (section && section[0] ? "#" + section[0] : "");
  }
  function renderResult(item, fragment, result) {
    var link = item.tagName === "A" ? item : item.appendChild(el("a", "search-result-link"));
    link.href = resultURL(fragment, result);
    var title = link.appendChild(el("span", "search-result-title"));
    highlight(title, fragment.title, result.terms);
    var metaLine = link.appendChild(el("span", "search-result-meta"));
    metaLine.appendChild(el("span", "badge badge-" + fragment.level, fragment.level_label));
    metaLine.appendChild(document.createTextNode(" " + fragment.topic));
    var section = fragment.sections[result.section];
    if (section && section[1]) metaLine.appendChild(document.createTextNode(" › " + section[1]));
    highlight(link.appendChild(el("span", "search-result-snippet")), snippet(fragment, result), result.terms);
  }

  var LEVELS = [["", "All levels"], ["j", "Junior"], ["m", "Mid"], ["s", "Senior"]];
  function chips(onChange) {
    var group = el("div", "search-chips");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Filter by level");
    LEVELS.forEach(function (level) {
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

  // ---- The search box on every page: results as you type ----
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
    popup.appendChild(chips(function (l) { level = l; lastQuery = null; update(); }));
    popup.appendChild(status);
    popup.appendChild(list);
    form.appendChild(popup);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "search-listbox");

    var open = function (show) { popup.hidden = !show; input.setAttribute("aria-expanded", String(show)); };
    var setActive = function (index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
      active = (index + options.length) % options.length;
      options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    };
    var update = function () {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      var mine = ++generation;
      if (!query) { list.replaceChildren(); status.textContent = ""; open(false); return; }
      search(query).then(function (results) { return filtered(results, level); }).then(function (results) {
        if (mine !== generation) return;
        var shown = results.slice(0, 8);
        return Promise.all(shown.map(function (r) { return loadFragment(r.doc); })).then(function (fragmentsShown) {
          if (mine !== generation) return;
          list.replaceChildren();
          shown.forEach(function (r, i) {
            var option = el("a", "search-option");
            option.id = "search-option-" + i;
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", "false");
            renderResult(option, fragmentsShown[i], r);
            list.appendChild(option);
          });
          list.dataset.query = query;
          status.textContent = results.length ? results.length + (results.length === 1 ? " result" : " results") : "No results for “" + query + "”";
          active = -1;
          open(true);
        });
      }).catch(function () { if (mine === generation) { status.textContent = "Search is unavailable."; open(true); } });
    };
    var wake = function () { loadMeta(); if (input.value.trim()) { lastQuery = null; update(); } };
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

  // ---- /search/?q=...: results on a page of their own ----
  var page = document.querySelector("[data-search-results]");
  if (page) {
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    var pageInput = document.getElementById("search-page-input");
    var pageStatus = document.querySelector(".search-status");
    var pageLevel = "";
    if (pageInput) pageInput.value = query;
    var run = function () {
      if (!query.trim()) { pageStatus.textContent = "Type a question, an API name or a concept."; return; }
      pageStatus.textContent = "Searching…";
      search(query).then(function (results) { return filtered(results, pageLevel); }).then(function (results) {
        var shown = results.slice(0, 50);
        return Promise.all(shown.map(function (r) { return loadFragment(r.doc); })).then(function (loaded) {
          page.replaceChildren();
          shown.forEach(function (r, i) { renderResult(page.appendChild(el("li", "search-result")), loaded[i], r); });
          page.dataset.query = query;
          pageStatus.textContent = results.length
            ? results.length + (results.length === 1 ? " result" : " results") + " for “" + query + "”"
            : "No results for “" + query + "”. Try fewer or different words.";
        });
      }).catch(function () { pageStatus.textContent = "Search is unavailable."; });
    };
    page.parentNode.insertBefore(chips(function (l) { pageLevel = l; run(); }), page);
    run();
  }
})();
