// djguide: progressive enhancements. Every page reads fine without this file;
// practice mode and the scorecard need it, and keep their state in localStorage.
(function () {
  "use strict";
  var d = document, root = d.documentElement, main = d.getElementById("main");
  function $(sel, el) { return (el || d).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || d).querySelectorAll(sel)); }
  function on(el, type, fn) { if (el) el.addEventListener(type, fn); }
  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: state lasts this page */ }
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function text(el) { return el ? el.textContent.trim() : ""; }

  // Theme: the inline script in <head> applied a stored choice before first paint.
  var toggle = $(".theme-toggle");
  var darkQuery = matchMedia("(prefers-color-scheme: dark)");
  function isDark() { return (root.dataset.theme || (darkQuery.matches ? "dark" : "light")) === "dark"; }
  function paintToggle() {
    if (toggle) toggle.setAttribute("aria-pressed", String(isDark()));
    // The browser's own bar follows the reader's choice too (it matches the header).
    if (root.dataset.theme) $$('meta[name="theme-color"]').forEach(function (m) { m.content = isDark() ? "#161d1a" : "#f5f7f6"; });
  }
  paintToggle();
  on(darkQuery, "change", paintToggle);
  on(toggle, "click", function () {
    var next = isDark() ? "light" : "dark";
    root.dataset.theme = next;
    try { localStorage.setItem("djguide-theme", next); } catch (e) { /* not remembered */ }
    paintToggle();
  });

  // Search loads on first use: the client arrives when the box is focused or
  // hovered (the /search/ page includes it directly).
  var searchForm = $("[data-search-script]");
  function loadSearch() {
    if ($("script[data-search]")) return;
    var script = d.createElement("script");
    script.src = searchForm.dataset.searchScript;
    script.dataset.search = "";
    d.head.appendChild(script);
  }
  on(searchForm, "focusin", loadSearch);
  on(searchForm, "pointerenter", loadSearch);

  // "/" focuses the search box unless the reader is typing somewhere.
  on(d, "keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = d.getElementById("search-input");
    if (box) { event.preventDefault(); box.focus(); }
  });

  // Copy buttons on code samples: the code only, never line numbers or prompts.
  $$("figure.code:not(.output)").forEach(function (figure) {
    var code = $("code", figure);
    if (!code || !navigator.clipboard) return;
    var button = d.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    var caption = text($("figcaption", figure));
    button.setAttribute("aria-label", "Copy code" + (caption ? " " + caption : ""));
    var lang = figure.dataset.lang;
    var prompt = lang === "console" || lang === "shell-session" ? /^\$ / : lang === "pycon" ? /^(>>>|\.\.\.) ?/ : null;
    on(button, "click", function () {
      var source = code.textContent.replace(/\n$/, "");
      if (prompt) {
        source = source.split("\n").filter(function (line) { return prompt.test(line); })
          .map(function (line) { return line.replace(prompt, ""); }).join("\n");
      }
      navigator.clipboard.writeText(source).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
    });
    figure.appendChild(button);
  });

  // Code that scrolls sideways must be reachable by keyboard.
  var scrollables = function () {
    $$("pre.code-block, .table-wrap").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0; else el.removeAttribute("tabindex");
    });
  };
  scrollables();
  var resizing;
  on(window, "resize", function () { clearTimeout(resizing); resizing = setTimeout(scrollables, 200); });

  // Table of contents: mark the section being read.
  var tocLinks = $$(".toc a");
  if (tocLinks.length && window.IntersectionObserver) {
    var current, headings = tocLinks.map(function (a) { return d.getElementById(decodeURIComponent(a.hash.slice(1))); });
    var spy = function () {
      var active = 0;
      headings.forEach(function (h, i) { if (h && h.getBoundingClientRect().top < innerHeight / 3) active = i; });
      if (current) current.removeAttribute("aria-current");
      current = tocLinks[active];
      current.setAttribute("aria-current", "location");
    };
    var observer = new IntersectionObserver(spy, { rootMargin: "0px 0px -66% 0px" });
    headings.forEach(function (h) { if (h) observer.observe(h); });
  }

  // Practice progress: url -> {s: "known" | "review", l: level, t: topic}.
  var PROGRESS = "djguide-progress";
  var progress = load(PROGRESS, {});
  function statusOf(url) { return progress[url] ? progress[url].s : ""; }
  function setStatus(url, status, level, topic) {
    progress = load(PROGRESS, {});
    if (status) progress[url] = { s: status, l: level, t: topic }; else delete progress[url];
    save(PROGRESS, progress);
    refresh();
  }
  // The questions listed on this page that practice and progress bars work on.
  function pageItems() {
    var seen = {};
    return $$("[data-practice-list] .question-item").filter(function (li) {
      if (li.hidden || seen[li.dataset.url]) return false;
      return (seen[li.dataset.url] = true);
    });
  }
  function refresh() {
    $$("[data-progress]").forEach(function (box) {
      var known = 0, review = 0, total;
      if (box.dataset.scope === "page") {
        var items = pageItems();
        total = items.length;
        items.forEach(function (li) {
          var s = statusOf(li.dataset.url);
          if (s === "known") known++; else if (s === "review") review++;
        });
      } else {
        total = +box.dataset.total;
        Object.keys(progress).forEach(function (url) {
          var p = progress[url];
          if ((box.dataset.level && p.l !== box.dataset.level) || (box.dataset.topic && p.t !== box.dataset.topic)) return;
          if (p.s === "known") known++; else if (p.s === "review") review++;
        });
        known = Math.min(known, total);
        review = Math.min(review, total - known);
      }
      $("[data-known]", box).textContent = known;
      $("[data-review]", box).textContent = review;
      var totalText = $("[data-total-text]", box);
      if (totalText) totalText.textContent = total;
      box.toggleAttribute("data-empty", !known && !review);
      box.style.setProperty("--k", total ? (100 * known / total) + "%" : "0%");
      box.style.setProperty("--r", total ? (100 * review / total) + "%" : "0%");
    });
    $$(".question-item").forEach(function (li) {
      var s = statusOf(li.dataset.url), pill = $(".status", li);
      if (!s) {
        if (pill) { pill.previousSibling.remove(); pill.remove(); }
        return;
      }
      // Inline after the title, so marking a question never moves the list.
      if (!pill) { pill = d.createElement("span"); $(".question-link", li).after(" ", pill); }
      pill.className = "status status-" + s;
      pill.textContent = s === "known" ? "Known" : "To review";
    });
    var article = $("[data-question]");
    if (article) {
      var s = statusOf(article.dataset.url);
      $$("[data-mark]").forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.mark === s)); });
      var line = $("[data-self-check-status]");
      if (line) line.textContent = s === "known" ? "You marked this as known." : s === "review" ? "You marked this to review again." : "Mark it to track your practice.";
    }
  }
  on(main, "click", function (event) {
    var reset = event.target.closest("[data-progress-reset]");
    if (reset) {
      var scoped = reset.closest("[data-practice-bar]");
      var urls = scoped ? pageItems().map(function (li) { return li.dataset.url; }) : null;
      var count = urls ? urls.length : Object.keys(progress).length;
      if (!confirm("Reset practice progress for " + (urls ? "these " + plural(count, "question") : "every question") + "?")) return;
      progress = load(PROGRESS, {});
      if (urls) urls.forEach(function (url) { delete progress[url]; }); else progress = {};
      save(PROGRESS, progress);
      refresh();
    }
    var markButton = event.target.closest("[data-mark]");
    if (markButton) {
      var a = $("[data-question]");
      var status = markButton.getAttribute("aria-pressed") === "true" ? "" : markButton.dataset.mark;
      setStatus(a.dataset.url, status, a.dataset.level, a.dataset.topic);
    }
  });

  // Practice mode: one question at a time, the answer hidden until asked.
  var practice = $("[data-practice]");
  if (practice) {
    var deck = [], at = 0, round;
    var card = $("[data-practice-card]", practice), done = $("[data-practice-done]", practice);
    var question = $("[data-practice-question]", practice), answer = $("[data-practice-answer]", practice);
    var reveal = $("[data-practice-reveal]", practice), marks = $$("[data-practice-mark]", practice);
    var startButton = $("[data-practice-bar] [data-practice-start]");
    var shuffle = $("[data-practice-shuffle]");
    var start = function (onlyReview) {
      var groups = { review: [], "": [], known: [] };
      pageItems().forEach(function (li) { groups[statusOf(li.dataset.url)].push(li); });
      deck = onlyReview ? groups.review : groups.review.concat(groups[""], groups.known);
      if (shuffle && shuffle.checked) {
        for (var i = deck.length - 1; i > 0; i--) {
          var j = Math.floor(Math.random() * (i + 1)), t = deck[i]; deck[i] = deck[j]; deck[j] = t;
        }
      }
      if (!deck.length) return;
      round = { known: 0, review: 0 };
      main.classList.add("practising");
      practice.hidden = false;
      show(0);
    };
    var show = function (index) {
      at = index;
      var finished = at >= deck.length;
      card.hidden = finished;
      done.hidden = !finished;
      if (finished) {
        $("[data-practice-result]", done).textContent = "You knew " + round.known + " of " + deck.length +
          (round.review ? "; " + plural(round.review, "question") + " to review again." : ". Well done.");
        $("[data-practice-start=review]", done).hidden = !round.review;
        $("[data-practice-count]", practice).textContent = "";
        $("h3", done).focus();
        return;
      }
      var li = deck[at];
      $("[data-practice-count]", practice).textContent = "Question " + (at + 1) + " of " + deck.length;
      var meta = $("[data-practice-meta]", practice);
      meta.textContent = "";
      var badge = d.createElement("span");
      badge.className = "badge badge-" + li.dataset.level;
      badge.textContent = li.dataset.levelLabel;
      meta.appendChild(badge);
      meta.appendChild(d.createTextNode(li.dataset.topicTitle));
      question.textContent = text($(".question-link", li));
      $("[data-practice-summary]", practice).textContent = text($(".question-summary", li));
      $("[data-practice-link]", practice).href = li.dataset.url;
      answer.hidden = true;
      reveal.hidden = false;
      $("[data-practice-hint]", practice).hidden = false;
      marks.forEach(function (b) { b.hidden = true; });
      question.focus();
    };
    var stop = function () {
      main.classList.remove("practising");
      practice.hidden = true;
      if (startButton) startButton.focus();
    };
    on(main, "click", function (event) {
      var starter = event.target.closest("[data-practice-start]");
      if (starter) start(starter.dataset.practiceStart === "review");
    });
    on(reveal, "click", function () {
      answer.hidden = false;
      reveal.hidden = true;
      $("[data-practice-hint]", practice).hidden = true;
      marks.forEach(function (b) { b.hidden = false; });
      marks[0].focus();
    });
    marks.forEach(function (b) {
      on(b, "click", function () {
        var li = deck[at], status = b.dataset.practiceMark;
        round[status]++;
        setStatus(li.dataset.url, status, li.dataset.level, li.dataset.topic);
        show(at + 1);
      });
    });
    on($("[data-practice-stop]", practice), "click", stop);
    on(d, "keydown", function (event) {
      if (event.key === "Escape" && main.classList.contains("practising")) stop();
    });
  }

  // Filters on the all-questions page, kept in the URL (?level=junior,mid&topic=orm&changed=django-6.1).
  var filters = $("[data-filters]"), list = $("[data-filterable]");
  if (filters && list) {
    var boxes = $$("input[name=level]", filters), select = $("select[name=topic]", filters);
    // Absent when no answer carries a version note.
    var release = $("select[name=changed]", filters);
    var params = new URLSearchParams(location.search);
    if (params.get("level")) {
      var wanted = params.get("level").split(",");
      boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
    }
    if (params.get("topic")) select.value = params.get("topic");
    if (release && params.get("changed")) release.value = params.get("changed");
    var changedIn = function (li) {
      return !release || !release.value || (li.dataset.releases || "").split(" ").indexOf(release.value) >= 0;
    };
    var apply = function () {
      var levels = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      var items = $$(".question-item", list), shown = 0;
      items.forEach(function (li) {
        li.hidden = levels.indexOf(li.dataset.level) < 0 || (select.value && li.dataset.topic !== select.value) || !changedIn(li);
        if (!li.hidden) shown++;
      });
      $("[data-filter-count]", filters).textContent = shown + " of " + plural(items.length, "question");
      var query = new URLSearchParams();
      if (levels.length < boxes.length) query.set("level", levels.join(","));
      if (select.value) query.set("topic", select.value);
      if (release && release.value) query.set("changed", release.value);
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search.replace(/%2C/g, ",") : "") + location.hash);
      refresh();
    };
    on(filters, "change", apply);
    on(filters, "submit", function (event) { event.preventDefault(); });
    apply();
  }

  // Interviewer scorecard: picked questions with a 1-4 score and notes.
  var SCORECARD = "djguide-scorecard";
  function scLoad() { return load(SCORECARD, { candidate: "", items: [] }); }
  function find(sc, url) {
    for (var i = 0; i < sc.items.length; i++) if (sc.items[i].url === url) return i;
    return -1;
  }
  function pick(entry) {
    var sc = scLoad(), i = find(sc, entry.url);
    if (i >= 0) sc.items.splice(i, 1); else sc.items.push(entry);
    save(SCORECARD, sc);
    return i < 0;
  }
  function entryOf(el, title, summary) {
    return { url: el.dataset.url, title: title, level: el.dataset.level, levelLabel: el.dataset.levelLabel,
      topic: el.dataset.topic, topicTitle: el.dataset.topicTitle, summary: summary, score: 0, notes: "" };
  }
  var article = $("[data-question]"), scToggle = $("[data-scorecard-toggle]");
  if (article && scToggle) {
    scToggle.setAttribute("aria-pressed", String(find(scLoad(), article.dataset.url) >= 0));
    on(scToggle, "click", function () {
      var added = pick(entryOf(article, text($("h1", article)), text($(".quick-answer p", article))));
      scToggle.setAttribute("aria-pressed", String(added));
    });
  }

  var scorecard = $("[data-scorecard]");
  if (scorecard && list) {
    var opener = $("[data-scorecard-open]"), itemsEl = $("[data-sc-items]", scorecard);
    var template = $("[data-sc-template]", scorecard), status = $("[data-sc-status]", scorecard);
    var candidate = $("[data-sc-candidate]", scorecard);
    var ORDER = ["junior", "mid", "senior"];
    var totals = function (sc) {
      var rows = {}, all = { label: "All levels", count: 0, scored: 0, total: 0 };
      sc.items.forEach(function (item) {
        var row = rows[item.level] || (rows[item.level] = { label: item.levelLabel, count: 0, scored: 0, total: 0 });
        [row, all].forEach(function (r) {
          r.count++;
          if (item.score) { r.scored++; r.total += item.score; }
        });
      });
      var keys = Object.keys(rows).sort(function (a, b) { return (ORDER.indexOf(a) + 9) % 9 - (ORDER.indexOf(b) + 9) % 9; });
      return { rows: keys.map(function (k) { return rows[k]; }), all: all };
    };
    var cells = function (r) {
      return [r.label, r.count, r.scored, r.total + " / " + 4 * r.scored, r.scored ? (r.total / r.scored).toFixed(1) : "–"];
    };
    var paintTotals = function () {
      var t = totals(scLoad()), table = $("[data-sc-totals]", scorecard);
      var body = $("tbody", table), foot = $("tfoot", table) || table.appendChild(d.createElement("tfoot"));
      body.textContent = "";
      foot.textContent = "";
      t.rows.concat([t.all]).forEach(function (r, i) {
        var tr = (i < t.rows.length ? body : foot).insertRow();
        cells(r).forEach(function (value, j) {
          var cell = d.createElement(j ? "td" : "th");
          if (!j) cell.scope = "row";
          cell.textContent = value;
          tr.appendChild(cell);
        });
      });
    };
    var render = function () {
      var sc = scLoad();
      candidate.value = sc.candidate || "";
      itemsEl.textContent = "";
      $("[data-sc-empty]", scorecard).hidden = sc.items.length > 0;
      sc.items.forEach(function (item, n) {
        var li = template.content.firstElementChild.cloneNode(true);
        li.dataset.url = item.url;
        var link = $(".sc-title", li);
        link.href = item.url;
        link.textContent = item.title;
        var badge = $(".badge", li);
        badge.className = "badge badge-" + item.level;
        badge.textContent = item.levelLabel;
        $(".item-topic", li).textContent = item.topicTitle;
        $(".sc-expected p", li).textContent = item.summary;
        $$(".visually-hidden", li).forEach(function (s) { s.textContent = ": " + item.title; });
        $$("input[type=radio]", li).forEach(function (radio) {
          radio.name = "score-" + n;
          radio.checked = +radio.value === item.score;
        });
        $("textarea", li).value = item.notes || "";
        var remove = $(".sc-remove", li);
        remove.setAttribute("aria-label", "Remove " + item.title);
        itemsEl.appendChild(li);
      });
      $$(".sc-pick", list).forEach(function (b) { b.setAttribute("aria-pressed", String(find(sc, b.closest("li").dataset.url) >= 0)); });
      paintTotals();
    };
    var update = function (el, field, value) {
      var sc = scLoad(), i = find(sc, el.closest(".sc-item").dataset.url);
      if (i < 0) return;
      sc.items[i][field] = value;
      save(SCORECARD, sc);
      paintTotals();
    };
    on(itemsEl, "change", function (event) {
      if (event.target.type === "radio") update(event.target, "score", +event.target.value);
    });
    on(itemsEl, "input", function (event) {
      if (event.target.tagName === "TEXTAREA") update(event.target, "notes", event.target.value);
    });
    on(itemsEl, "click", function (event) {
      var remove = event.target.closest(".sc-remove");
      if (!remove) return;
      var sc = scLoad(), i = find(sc, remove.closest(".sc-item").dataset.url);
      sc.items.splice(i, 1);
      save(SCORECARD, sc);
      render();
      status.textContent = "Removed from the scorecard.";
      var buttons = $$(".sc-remove", itemsEl);
      (buttons[Math.min(i, buttons.length - 1)] || candidate).focus();
    });
    on(candidate, "input", function () {
      var sc = scLoad();
      sc.candidate = candidate.value;
      save(SCORECARD, sc);
    });
    var open = function () {
      scorecard.hidden = false;
      main.classList.add("scorecard-open");
      opener.setAttribute("aria-expanded", "true");
      $$(".question-item", list).forEach(function (li) {
        if ($(".sc-pick", li)) return;
        var b = d.createElement("button");
        b.type = "button";
        b.className = "button button-quiet sc-pick";
        b.innerHTML = "Add to scorecard<span class=\"visually-hidden\"></span>";
        b.lastChild.textContent = ": " + text($(".question-link", li));
        $(".question-item-meta", li).appendChild(b);
      });
      render();
    };
    var close = function () {
      scorecard.hidden = true;
      main.classList.remove("scorecard-open");
      opener.setAttribute("aria-expanded", "false");
      $$(".sc-pick", list).forEach(function (b) { b.remove(); });
      opener.focus();
    };
    on(opener, "click", function () { if (scorecard.hidden) open(); else close(); });
    on($("[data-sc-close]", scorecard), "click", close);
    on(list, "click", function (event) {
      var b = event.target.closest(".sc-pick");
      if (!b) return;
      var li = b.closest("li");
      var added = pick(entryOf(li, text($(".question-link", li)), text($(".question-summary", li))));
      render();
      status.textContent = added ? "Added to the scorecard." : "Removed from the scorecard.";
    });
    on($("[data-sc-print]", scorecard), "click", function () { window.print(); });
    on($("[data-sc-clear]", scorecard), "click", function () {
      if (!confirm("Clear the scorecard: every picked question, score and note?")) return;
      save(SCORECARD, { candidate: "", items: [] });
      render();
      status.textContent = "The scorecard is empty.";
    });
    on($("[data-sc-copy]", scorecard), "click", function () {
      var sc = scLoad(), t = totals(sc);
      var cell = function (v) { return String(v).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>"); };
      var row = function (values) { return "| " + values.map(cell).join(" | ") + " |"; };
      var md = ["# Interview scorecard", "", "Candidate: " + (sc.candidate || "—") + "  ",
        "Date: " + new Date().toISOString().slice(0, 10), "",
        row(["#", "Question", "Level", "Topic", "Score", "Notes"]), "|---|---|---|---|---|---|"];
      sc.items.forEach(function (item, i) {
        md.push(row([i + 1, "[" + item.title.replace(/[[\]]/g, "\\$&") + "](" + new URL(item.url, location.href).href + ")",
          item.levelLabel, item.topicTitle, item.score ? item.score + "/4" : "–", item.notes || ""]));
      });
      md.push("", "## Totals by level", "", row(["Level", "Questions", "Scored", "Total", "Average"]), "|---|---|---|---|---|");
      t.rows.concat([t.all]).forEach(function (r) { md.push(row(cells(r))); });
      md = md.join("\n") + "\n";
      var fallback = function () {
        status.textContent = "Copy the Markdown below:";
        var area = d.createElement("textarea");
        area.readOnly = true;
        area.value = md;
        area.setAttribute("aria-label", "Scorecard as Markdown");
        status.appendChild(area);
        area.select();
      };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(md).then(function () { status.textContent = "Copied the scorecard as Markdown."; }, fallback);
      } else fallback();
    });
    on(window, "storage", function (event) { if (event.key === SCORECARD && !scorecard.hidden) render(); });
    if (location.hash === "#scorecard") { open(); scorecard.scrollIntoView(); }
  }

  refresh();
  on(window, "storage", function (event) {
    if (event.key === PROGRESS) { progress = load(PROGRESS, {}); refresh(); }
  });
  if (practice && location.hash === "#practice") $("[data-practice-bar] [data-practice-start]").click();
})();
