// djguide: progressive enhancements. Every page reads fine without this file;
// practice, spaced repetition, the mock interview and the scorecard need it,
// and keep their state in localStorage (see "Stored data" in themes/README.md).
// One init function per feature; each looks for its markup and does nothing
// on pages without it.
(function () {
  "use strict";

  // ---------------------------------------------------------------- helpers

  const $ = (selector, scope) => (scope || document).querySelector(selector);
  const $$ = (selector, scope) => Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  const listen = (target, type, handler, options) => { if (target) target.addEventListener(type, handler, options); };
  const textOf = (element) => (element ? element.textContent.trim() : "");
  const plural = (count, word) => count + " " + word + (count === 1 ? "" : "s");
  const main = document.getElementById("main");

  /** Whether a key press belongs to the reader's typing rather than to a shortcut. */
  function isTyping(event) {
    const target = event.target;
    return Boolean(target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)));
  }
  function hasModifier(event) {
    return event.ctrlKey || event.metaKey || event.altKey;
  }

  /** Copy text, or show it in a read-only box to copy by hand when the clipboard is refused. */
  function copyText(text, statusElement, successMessage, fallbackLabel) {
    const showForManualCopy = () => {
      statusElement.textContent = "Copy the text below:";
      const area = document.createElement("textarea");
      area.readOnly = true;
      area.value = text;
      area.setAttribute("aria-label", fallbackLabel);
      statusElement.appendChild(area);
      area.select();
    };
    if (!navigator.clipboard) return showForManualCopy();
    navigator.clipboard.writeText(text).then(() => { statusElement.textContent = successMessage; }, showForManualCopy);
  }

  /** A Markdown table row; pipes and line breaks inside a cell are escaped. */
  function markdownRow(values) {
    const cell = (value) => String(value).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
    return "| " + values.map(cell).join(" | ") + " |";
  }

  function formatDuration(totalSeconds) {
    const seconds = Math.max(0, Math.round(totalSeconds));
    const minutes = Math.floor(seconds / 60);
    return minutes + ":" + String(seconds % 60).padStart(2, "0");
  }

  // ---------------------------------------------------------------- storage

  // Keys carry a version so a later change of record shape can migrate again.
  const STORAGE_KEYS = {
    theme: "djguide:v2:theme",
    progress: "djguide:v2:progress",
    scorecard: "djguide:v2:scorecard",
  };
  // Version 1 (before issue 18): "djguide-progress" held url -> {s, l, t}.
  const LEGACY_KEYS = {
    theme: "djguide-theme",
    progress: "djguide-progress",
    scorecard: "djguide-scorecard",
  };

  const storage = {
    readText(key) {
      try { return localStorage.getItem(key); } catch (error) { return null; }
    },
    writeText(key, value) {
      try { localStorage.setItem(key, value); } catch (error) { /* private mode: the choice lasts this page */ }
    },
    remove(key) {
      try { localStorage.removeItem(key); } catch (error) { /* nothing stored */ }
    },
    readJson(key, fallback) {
      try { return JSON.parse(this.readText(key)) || fallback; } catch (error) { return fallback; }
    },
    writeJson(key, value) {
      this.writeText(key, JSON.stringify(value));
    },
  };

  // ------------------------------------------------------ calendar days

  // Reviews are scheduled in whole local days, stored as "YYYY-MM-DD" so
  // that dates compare as strings.
  function dayString(date) {
    return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" + String(date.getDate()).padStart(2, "0");
  }
  function dayFromToday(offset) {
    const now = new Date(Date.now());
    return dayString(new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset));
  }
  function daysUntil(day) {
    const parts = day.split("-").map(Number);
    const now = new Date(Date.now());
    const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    return Math.round((new Date(parts[0], parts[1] - 1, parts[2]) - today) / 86400000);
  }
  function whenDue(day) {
    const days = daysUntil(day);
    if (days <= 0) return "today";
    if (days === 1) return "tomorrow";
    return "in " + days + " days";
  }

  // ------------------------------------------------------ spaced repetition

  // Leitner boxes: a question sits in box 1 to 6 and comes back after the
  // box's interval in days. "I knew it" moves it up one box, "Review again"
  // puts it back in box 1, due today. A question never marked counts as box 1.
  const BOX_INTERVAL_DAYS = [0, 1, 3, 7, 16, 35];
  const FIRST_BOX = 1;
  const LAST_BOX = BOX_INTERVAL_DAYS.length;

  function scheduleAfter(previous, status) {
    const box = status === "known" ? Math.min((previous ? previous.box : FIRST_BOX) + 1, LAST_BOX) : FIRST_BOX;
    return { box: box, due: dayFromToday(BOX_INTERVAL_DAYS[box - 1]) };
  }
  function isDue(record) {
    return Boolean(record && record.due <= dayFromToday(0));
  }

  // ---------------------------------------------------------- migration

  /** A version-1 progress record {s, l, t} as a version-2 record, placed in its Leitner box. */
  function progressRecordFromLegacy(legacy) {
    const status = legacy.s === "known" ? "known" : "review";
    return Object.assign({ status: status, level: legacy.l || "", topic: legacy.t || "", title: "" }, scheduleAfter(null, status));
  }

  /**
   * Move what older versions stored under "djguide-*" keys to the versioned
   * keys, once: a reader's progress, theme and scorecard survive the upgrade.
   * Records already under the new keys win over legacy ones.
   */
  function migrateLegacyStorage() {
    const legacyTheme = storage.readText(LEGACY_KEYS.theme);
    if (legacyTheme !== null) {
      if ((legacyTheme === "light" || legacyTheme === "dark") && storage.readText(STORAGE_KEYS.theme) === null) {
        storage.writeText(STORAGE_KEYS.theme, legacyTheme);
      }
      storage.remove(LEGACY_KEYS.theme);
    }
    if (storage.readText(LEGACY_KEYS.progress) !== null) {
      const legacyProgress = storage.readJson(LEGACY_KEYS.progress, {});
      const progress = storage.readJson(STORAGE_KEYS.progress, {});
      Object.keys(legacyProgress).forEach((url) => {
        const legacy = legacyProgress[url];
        if (!progress[url] && legacy && (legacy.s === "known" || legacy.s === "review")) progress[url] = progressRecordFromLegacy(legacy);
      });
      storage.writeJson(STORAGE_KEYS.progress, progress);
      storage.remove(LEGACY_KEYS.progress);
    }
    if (storage.readText(LEGACY_KEYS.scorecard) !== null) {
      // The scorecard's shape did not change; only its key did.
      if (storage.readText(STORAGE_KEYS.scorecard) === null) {
        storage.writeText(STORAGE_KEYS.scorecard, storage.readText(LEGACY_KEYS.scorecard));
      }
      storage.remove(LEGACY_KEYS.scorecard);
    }
  }

  // ----------------------------------------------------- practice progress

  // url -> { status: "known" | "review", level, topic, title, box, due }.
  // Read afresh on every use: another tab may have changed it.
  const progressStore = {
    listeners: [],
    all() { return storage.readJson(STORAGE_KEYS.progress, {}); },
    get(url) { return this.all()[url] || null; },
    statusOf(url) { const record = this.get(url); return record ? record.status : ""; },
    /** Record "known" or "review" for a question ({url, level, topic, title}) and schedule its next review. */
    mark(question, status) {
      const progress = this.all();
      progress[question.url] = Object.assign(
        { status: status, level: question.level, topic: question.topic, title: question.title || "" },
        scheduleAfter(progress[question.url], status),
      );
      this.save(progress);
    },
    forget(urls) {
      const progress = this.all();
      urls.forEach((url) => { delete progress[url]; });
      this.save(progress);
    },
    forgetAll() { this.save({}); },
    save(progress) {
      storage.writeJson(STORAGE_KEYS.progress, progress);
      this.changed();
    },
    changed() { this.listeners.forEach((listener) => listener()); },
    onChange(listener) { this.listeners.push(listener); },
  };

  /** The question a list item or question article stands for. */
  function questionOf(element) {
    const data = element.dataset;
    const title = element.matches("[data-question]") ? textOf($("h1", element)) : textOf($(".question-link", element));
    return { url: data.url, level: data.level, levelLabel: data.levelLabel, topic: data.topic, topicTitle: data.topicTitle, title: title };
  }

  /** The questions listed on this page that practice and progress bars work on (visible, once each). */
  function listedQuestionItems() {
    const seen = {};
    return $$("[data-practice-list] .question-item").filter((item) => {
      if (item.hidden || seen[item.dataset.url]) return false;
      seen[item.dataset.url] = true;
      return true;
    });
  }

  function countProgress(box) {
    const progress = progressStore.all();
    let known = 0;
    let review = 0;
    let total;
    if (box.dataset.scope === "page") {
      const items = listedQuestionItems();
      total = items.length;
      items.forEach((item) => {
        const record = progress[item.dataset.url];
        if (record && record.status === "known") known++;
        else if (record && record.status === "review") review++;
      });
    } else {
      total = Number(box.dataset.total);
      Object.keys(progress).forEach((url) => {
        const record = progress[url];
        if ((box.dataset.level && record.level !== box.dataset.level) || (box.dataset.topic && record.topic !== box.dataset.topic)) return;
        if (record.status === "known") known++;
        else if (record.status === "review") review++;
      });
      // Records of questions since removed from the guide must not overflow the bar.
      known = Math.min(known, total);
      review = Math.min(review, total - known);
    }
    return { known: known, review: review, total: total };
  }

  function paintProgressBars() {
    $$("[data-progress]").forEach((box) => {
      const counts = countProgress(box);
      $("[data-known]", box).textContent = counts.known;
      $("[data-review]", box).textContent = counts.review;
      const totalText = $("[data-total-text]", box);
      if (totalText) totalText.textContent = counts.total;
      box.toggleAttribute("data-empty", !counts.known && !counts.review);
      box.style.setProperty("--k", counts.total ? (100 * counts.known / counts.total) + "%" : "0%");
      box.style.setProperty("--r", counts.total ? (100 * counts.review / counts.total) + "%" : "0%");
    });
  }

  function paintStatusPills() {
    const progress = progressStore.all();
    $$(".question-item").forEach((item) => {
      const record = progress[item.dataset.url];
      let pill = $(".status", item);
      if (!record) {
        if (pill) { pill.previousSibling.remove(); pill.remove(); }
        return;
      }
      // Inline after the title, so marking a question never moves the list.
      if (!pill) {
        pill = document.createElement("span");
        $(".question-link", item).after(" ", pill);
      }
      pill.className = "status status-" + record.status;
      pill.textContent = record.status === "known" ? "Known" : "To review";
    });
  }

  function selfCheckMessage(record) {
    if (!record) return "Mark it to track your practice.";
    if (record.status === "review") return "You marked this to review again; it is due today.";
    return "You marked this as known; it comes back for review " + whenDue(record.due) + ".";
  }

  /** Progress bars, status pills and the question page's own buttons. */
  function initProgress() {
    const paint = () => {
      paintProgressBars();
      paintStatusPills();
      const article = $("[data-question]");
      if (!article) return;
      const record = progressStore.get(article.dataset.url);
      $$("[data-mark]").forEach((button) => button.setAttribute("aria-pressed", String(Boolean(record) && button.dataset.mark === record.status)));
      const line = $("[data-self-check-status]");
      if (line) line.textContent = selfCheckMessage(record);
    };
    progressStore.onChange(paint);
    listen(window, "storage", (event) => { if (event.key === STORAGE_KEYS.progress) progressStore.changed(); });

    listen(main, "click", (event) => {
      const reset = event.target.closest("[data-progress-reset]");
      if (reset) resetProgress(reset);
      const markButton = event.target.closest("[data-mark]");
      if (markButton) {
        const question = questionOf($("[data-question]"));
        // Pressing the pressed button again takes the mark back.
        if (markButton.getAttribute("aria-pressed") === "true") progressStore.forget([question.url]);
        else progressStore.mark(question, markButton.dataset.mark);
      }
    });
    paint();
  }

  function resetProgress(resetButton) {
    const onlyListed = Boolean(resetButton.closest("[data-practice-bar]"));
    const urls = onlyListed ? listedQuestionItems().map((item) => item.dataset.url) : null;
    const scope = urls ? "these " + plural(urls.length, "question") : "every question";
    if (!confirm("Reset practice progress for " + scope + "?")) return;
    if (urls) progressStore.forget(urls);
    else progressStore.forgetAll();
  }

  // --------------------------------------------------------------- theme

  // Three choices: follow the system (nothing stored), always light, always
  // dark. The inline script in <head> applies a stored choice before the
  // first paint; this keeps the button and the browser's bar in step.
  const THEME_LABELS = { system: "Theme: match system", light: "Theme: light", dark: "Theme: dark" };

  function initTheme() {
    const root = document.documentElement;
    const toggle = $(".theme-toggle");
    const systemDark = matchMedia("(prefers-color-scheme: dark)");
    const choice = () => root.dataset.theme || "system";
    const paint = () => {
      const chosen = choice();
      const dark = chosen === "dark" || (chosen === "system" && systemDark.matches);
      if (toggle) {
        toggle.dataset.choice = chosen;
        const label = THEME_LABELS[chosen] + (chosen === "system" ? " (now " + (dark ? "dark" : "light") + ")" : "");
        toggle.title = label + ". Click to change.";
        $(".visually-hidden", toggle).textContent = label;
      }
      // The browser's own bar follows the page (it matches the header).
      $$('meta[name="theme-color"]').forEach((meta) => {
        if (!meta.dataset.systemContent) meta.dataset.systemContent = meta.content;
        meta.content = chosen === "system" ? meta.dataset.systemContent : dark ? "#161d1a" : "#f5f7f6";
      });
    };
    // From "system", the first click shows the opposite of what the system
    // shows, so every click changes something or returns to the system.
    const nextChoice = () => {
      const chosen = choice();
      const systemScheme = systemDark.matches ? "dark" : "light";
      const otherScheme = systemScheme === "dark" ? "light" : "dark";
      if (chosen === "system") return otherScheme;
      if (chosen === otherScheme) return systemScheme;
      return "system";
    };
    listen(toggle, "click", () => {
      const next = nextChoice();
      if (next === "system") {
        delete root.dataset.theme;
        storage.remove(STORAGE_KEYS.theme);
      } else {
        root.dataset.theme = next;
        storage.writeText(STORAGE_KEYS.theme, next);
      }
      paint();
    });
    listen(systemDark, "change", paint);
    paint();
  }

  // -------------------------------------------------------------- search

  /** The search client arrives on first use: when the box is focused or hovered. */
  function initSearchLoader() {
    const form = $("[data-search-script]");
    if (!form) return;
    const load = () => {
      if ($("script[data-search]")) return;
      const script = document.createElement("script");
      script.src = form.dataset.searchScript;
      script.dataset.search = "";
      document.head.appendChild(script);
    };
    listen(form, "focusin", load);
    listen(form, "pointerenter", load);
  }

  /** "/" focuses the search box unless the reader is typing somewhere. */
  function initSearchShortcut() {
    const box = document.getElementById("search-input");
    if (!box) return;
    listen(document, "keydown", (event) => {
      if (event.key !== "/" || hasModifier(event) || isTyping(event)) return;
      event.preventDefault();
      box.focus();
    });
    // The hint only helps where there is a keyboard: not on touch screens.
    if (matchMedia("(hover: hover) and (pointer: fine)").matches && box.placeholder === "Search") {
      box.placeholder = "Search (press /)";
    }
  }

  // --------------------------------------------------------- code samples

  // Console transcripts copy their commands only, without prompts or output.
  const PROMPTS = { console: /^\$ /, "shell-session": /^\$ /, pycon: /^(>>>|\.\.\.) ?/ };

  function copyableSource(code, language) {
    const source = code.textContent.replace(/\n$/, "");
    const prompt = PROMPTS[language];
    if (!prompt) return source;
    return source.split("\n").filter((line) => prompt.test(line)).map((line) => line.replace(prompt, "")).join("\n");
  }

  /** Copy buttons on code samples: the code only, never line numbers or prompts. */
  function initCopyButtons() {
    if (!navigator.clipboard) return;
    $$("figure.code:not(.output)").forEach((figure) => {
      const code = $("code", figure);
      if (!code) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      const caption = textOf($("figcaption", figure));
      button.setAttribute("aria-label", "Copy code" + (caption ? " " + caption : ""));
      listen(button, "click", () => {
        navigator.clipboard.writeText(copyableSource(code, figure.dataset.lang)).then(() => {
          button.textContent = "Copied";
          setTimeout(() => { button.textContent = "Copy"; }, 1500);
        });
      });
      figure.appendChild(button);
    });
  }

  /** Code and tables that scroll sideways must be reachable by keyboard. */
  function initScrollableFocus() {
    const update = () => {
      $$("pre.code-block, .table-wrap").forEach((element) => {
        if (element.scrollWidth > element.clientWidth + 1) element.tabIndex = 0;
        else element.removeAttribute("tabindex");
      });
    };
    update();
    let pending;
    listen(window, "resize", () => { clearTimeout(pending); pending = setTimeout(update, 200); });
  }

  // ------------------------------------------------------------- outline

  /**
   * "On this page": marks the section being read. Worked out from the
   * headings' positions on every scroll frame (an IntersectionObserver misses
   * headings that a fast scroll carries past without stopping). A jump to a
   * heading (a link, or a URL with #fragment) marks that heading, even when
   * the page cannot scroll far enough to bring it to the top, until the
   * reader scrolls by hand or the heading, once reached, leaves the screen.
   * (With smooth scrolling the heading arrives some frames after the jump.)
   */
  function initOutline() {
    const entries = $$(".toc a").map((link) => ({ link: link, heading: document.getElementById(decodeURIComponent(link.hash.slice(1))) }))
      .filter((entry) => entry.heading);
    if (!entries.length) return;
    let current = null;
    let jumpTarget = null;
    let jumpTargetReached = false;
    let frameRequested = false;

    const entryForHash = () => {
      const id = decodeURIComponent(location.hash.slice(1));
      return entries.find((entry) => entry.heading.id === id) || null;
    };
    const onScreen = (entry) => {
      const top = entry.heading.getBoundingClientRect().top;
      return top >= -1 && top < innerHeight;
    };
    const readingEntry = () => {
      if (jumpTarget && onScreen(jumpTarget)) jumpTargetReached = true;
      else if (jumpTargetReached) jumpTarget = null;
      if (jumpTarget) return jumpTarget;
      const scroller = document.scrollingElement || document.documentElement;
      const atEnd = scroller.scrollTop + innerHeight >= scroller.scrollHeight - 2;
      // At the end of the page the last sections cannot reach the top: mark the last one in view.
      const line = atEnd ? innerHeight : innerHeight / 3;
      let reading = entries[0];
      entries.forEach((entry) => { if (entry.heading.getBoundingClientRect().top < line) reading = entry; });
      return reading;
    };
    const paint = () => {
      frameRequested = false;
      const reading = readingEntry();
      if (reading === current) return;
      if (current) current.link.removeAttribute("aria-current");
      reading.link.setAttribute("aria-current", "location");
      current = reading;
    };
    const requestPaint = () => {
      if (frameRequested) return;
      frameRequested = true;
      requestAnimationFrame(paint);
    };
    const jumpTo = (entry) => {
      jumpTarget = entry;
      jumpTargetReached = false;
      requestPaint();
    };
    const scrolledByHand = () => { jumpTarget = null; };

    listen(window, "scroll", requestPaint, { passive: true });
    listen(window, "resize", requestPaint);
    listen(window, "hashchange", () => jumpTo(entryForHash()));
    // A click on the entry already in the URL scrolls without a hashchange.
    entries.forEach((entry) => listen(entry.link, "click", () => jumpTo(entry)));
    ["wheel", "touchmove"].forEach((type) => listen(window, type, scrolledByHand, { passive: true }));
    listen(window, "keydown", (event) => { if (/^(Arrow|Page|Home|End| )/.test(event.key) && !isTyping(event)) scrolledByHand(); });
    // The browser scrolls to the fragment after layout; check again once it has.
    listen(window, "load", requestPaint);
    jumpTo(entryForHash());
    paint();
  }

  // ------------------------------------------------------------- practice

  /** The deck for a round: due reviews first (oldest first), then new questions, then the rest by due date. */
  function practiceDeck(items, onlyDue) {
    const progress = progressStore.all();
    const due = [];
    const unseen = [];
    const later = [];
    items.forEach((item) => {
      const record = progress[item.dataset.url];
      if (isDue(record)) due.push(item);
      else if (!record) unseen.push(item);
      else later.push(item);
    });
    const byDueDate = (a, b) => (progress[a.dataset.url].due < progress[b.dataset.url].due ? -1 : progress[a.dataset.url].due > progress[b.dataset.url].due ? 1 : 0);
    due.sort(byDueDate);
    later.sort(byDueDate);
    return onlyDue ? due : due.concat(unseen, later);
  }

  function shuffleInPlace(list) {
    for (let index = list.length - 1; index > 0; index--) {
      const other = Math.floor(Math.random() * (index + 1));
      const kept = list[index];
      list[index] = list[other];
      list[other] = kept;
    }
    return list;
  }

  function levelBadge(level, label) {
    const badge = document.createElement("span");
    badge.className = "badge badge-" + level;
    badge.textContent = label;
    return badge;
  }

  /** Practice mode: one question at a time, the answer hidden until asked, then scheduled. */
  function initPractice() {
    const practice = $("[data-practice]");
    if (!practice) return;
    const card = $("[data-practice-card]", practice);
    const done = $("[data-practice-done]", practice);
    const questionHeading = $("[data-practice-question]", practice);
    const answer = $("[data-practice-answer]", practice);
    const revealButton = $("[data-practice-reveal]", practice);
    const markButtons = $$("[data-practice-mark]", practice);
    const hint = $("[data-practice-hint]", practice);
    const count = $("[data-practice-count]", practice);
    const startButton = $("[data-practice-bar] [data-practice-start]");
    const shuffle = $("[data-practice-shuffle]");
    let deck = [];
    let position = 0;
    let round = { known: 0, review: 0 };

    const isOpen = () => main.classList.contains("practising");
    const answerShown = () => !answer.hidden;

    const start = (onlyDue) => {
      deck = practiceDeck(listedQuestionItems(), onlyDue);
      if (shuffle && shuffle.checked) shuffleInPlace(deck);
      if (!deck.length) return false;
      round = { known: 0, review: 0 };
      main.classList.add("practising");
      practice.hidden = false;
      show(0);
      return true;
    };
    const finish = () => {
      card.hidden = true;
      done.hidden = false;
      $("[data-practice-result]", done).textContent = "You knew " + round.known + " of " + deck.length +
        (round.review ? "; " + plural(round.review, "question") + " to review again." : ". Well done.");
      $("[data-practice-start=due]", done).hidden = !round.review;
      count.textContent = "";
      $("h3", done).focus();
    };
    const show = (index) => {
      position = index;
      if (position >= deck.length) return finish();
      card.hidden = false;
      done.hidden = true;
      const question = questionOf(deck[position]);
      count.textContent = "Question " + (position + 1) + " of " + deck.length;
      const meta = $("[data-practice-meta]", practice);
      meta.textContent = "";
      meta.append(levelBadge(question.level, question.levelLabel), document.createTextNode(question.topicTitle));
      questionHeading.textContent = question.title;
      $("[data-practice-summary]", practice).textContent = textOf($(".question-summary", deck[position]));
      $("[data-practice-link]", practice).href = question.url;
      answer.hidden = true;
      revealButton.hidden = false;
      hint.hidden = false;
      markButtons.forEach((button) => { button.hidden = true; });
      questionHeading.focus();
    };
    const reveal = () => {
      answer.hidden = false;
      revealButton.hidden = true;
      hint.hidden = true;
      markButtons.forEach((button) => { button.hidden = false; });
      markButtons[0].focus();
    };
    const mark = (status) => {
      round[status]++;
      progressStore.mark(questionOf(deck[position]), status);
      show(position + 1);
    };
    const stop = () => {
      main.classList.remove("practising");
      practice.hidden = true;
      if (startButton) startButton.focus();
    };

    listen(main, "click", (event) => {
      const starter = event.target.closest("[data-practice-start]");
      if (starter) start(starter.dataset.practiceStart === "due");
    });
    listen(revealButton, "click", reveal);
    markButtons.forEach((button) => listen(button, "click", () => mark(button.dataset.practiceMark)));
    listen($("[data-practice-stop]", practice), "click", stop);
    // Space reveals, 1 and 2 mark; never while typing, and a focused button
    // keeps its own Space.
    listen(document, "keydown", (event) => {
      if (!isOpen() || hasModifier(event) || isTyping(event)) return;
      if (event.key === "Escape") return stop();
      if (card.hidden) return;
      if (event.key === " " && !answerShown() && !event.target.closest("button, a, summary")) {
        event.preventDefault();
        reveal();
      } else if ((event.key === "1" || event.key === "2") && answerShown()) {
        event.preventDefault();
        mark(event.key === "1" ? "known" : "review");
      }
    });

    if (location.hash === "#practice") start(false);
    if (location.hash === "#practice-due" && !start(true)) {
      $("[data-practice-bar] .practice-bar-lead").textContent = "Nothing is due for review today.";
    }
  }

  /** "Due today" on the home page: how many reviews are due, and a way to start them. */
  function initDueToday() {
    const panel = $("[data-due-today]");
    if (!panel) return;
    const paint = () => {
      const progress = progressStore.all();
      const dueCount = Object.keys(progress).filter((url) => isDue(progress[url])).length;
      $("[data-due-count]", panel).textContent = dueCount ? plural(dueCount, "question") + " due for review today." : "Nothing due for review today.";
      $("[data-due-start]", panel).hidden = !dueCount;
    };
    progressStore.onChange(paint);
    paint();
  }

  // -------------------------------------------------------------- filters

  /** Filters on the all-questions page, kept in the URL (?level=junior,mid&topic=orm&changed=django-6.1). */
  function initFilters() {
    const filters = $("[data-filters]");
    const list = $("[data-filterable]");
    if (!filters || !list) return;
    const levelBoxes = $$("input[name=level]", filters);
    const topicSelect = $("select[name=topic]", filters);
    // Absent when no answer carries a version note.
    const releaseSelect = $("select[name=changed]", filters);
    const params = new URLSearchParams(location.search);
    if (params.get("level")) {
      const wanted = params.get("level").split(",");
      levelBoxes.forEach((box) => { box.checked = wanted.indexOf(box.value) >= 0; });
    }
    if (params.get("topic")) topicSelect.value = params.get("topic");
    if (releaseSelect && params.get("changed")) releaseSelect.value = params.get("changed");

    const changedInRelease = (item) => !releaseSelect || !releaseSelect.value || (item.dataset.releases || "").split(" ").indexOf(releaseSelect.value) >= 0;
    const apply = () => {
      const levels = levelBoxes.filter((box) => box.checked).map((box) => box.value);
      const items = $$(".question-item", list);
      let shown = 0;
      items.forEach((item) => {
        item.hidden = levels.indexOf(item.dataset.level) < 0 || (topicSelect.value && item.dataset.topic !== topicSelect.value) || !changedInRelease(item);
        if (!item.hidden) shown++;
      });
      $("[data-filter-count]", filters).textContent = shown + " of " + plural(items.length, "question");
      const query = new URLSearchParams();
      if (levels.length < levelBoxes.length) query.set("level", levels.join(","));
      if (topicSelect.value) query.set("topic", topicSelect.value);
      if (releaseSelect && releaseSelect.value) query.set("changed", releaseSelect.value);
      const search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search.replace(/%2C/g, ",") : "") + location.hash);
      progressStore.changed();
    };
    listen(filters, "change", apply);
    listen(filters, "submit", (event) => event.preventDefault());
    apply();
  }

  // ------------------------------------------------------------ scorecard

  // { candidate, items: [{ url, title, level, levelLabel, topic, topicTitle, summary, score (0-4), notes }] }
  const scorecardStore = {
    read() { return storage.readJson(STORAGE_KEYS.scorecard, { candidate: "", items: [] }); },
    write(scorecard) { storage.writeJson(STORAGE_KEYS.scorecard, scorecard); },
    indexOf(scorecard, url) { return scorecard.items.findIndex((item) => item.url === url); },
    has(url) { return this.indexOf(this.read(), url) >= 0; },
    /** Add the question, or remove it if it is already there; returns whether it is now on the scorecard. */
    toggle(question, summary) {
      const scorecard = this.read();
      const index = this.indexOf(scorecard, question.url);
      if (index >= 0) scorecard.items.splice(index, 1);
      else scorecard.items.push(Object.assign({}, question, { summary: summary, score: 0, notes: "" }));
      this.write(scorecard);
      return index < 0;
    },
  };

  /** A pick button shows its state in words as well as by aria-pressed. */
  function paintPickButton(button, picked) {
    button.setAttribute("aria-pressed", String(picked));
    $(".sc-pick-label", button).textContent = picked ? "Added to scorecard" : "Add to scorecard";
  }

  /** The question page's "Add to scorecard" button. */
  function initScorecardToggle() {
    const article = $("[data-question]");
    const toggle = $("[data-scorecard-toggle]");
    if (!article || !toggle) return;
    const question = questionOf(article);
    paintPickButton(toggle, scorecardStore.has(question.url));
    listen(toggle, "click", () => paintPickButton(toggle, scorecardStore.toggle(question, textOf($(".quick-answer p", article)))));
  }

  /** Level order and labels as the page lists them (from site.toml), for the totals table. */
  function levelsOnPage() {
    return $$("[data-filters] input[name=level]").map((box) => box.value);
  }

  function scorecardTotals(scorecard) {
    const levelOrder = levelsOnPage();
    const rows = {};
    const all = { label: "All levels", count: 0, scored: 0, total: 0 };
    scorecard.items.forEach((item) => {
      const row = rows[item.level] || (rows[item.level] = { label: item.levelLabel, count: 0, scored: 0, total: 0 });
      [row, all].forEach((totals) => {
        totals.count++;
        if (item.score) { totals.scored++; totals.total += item.score; }
      });
    });
    // Levels the page no longer lists (renamed in site.toml) go last.
    const rank = (level) => { const index = levelOrder.indexOf(level); return index < 0 ? levelOrder.length : index; };
    const levels = Object.keys(rows).sort((a, b) => rank(a) - rank(b));
    return { rows: levels.map((level) => rows[level]), all: all };
  }

  function totalsCells(row) {
    return [row.label, row.count, row.scored, row.total + " / " + 4 * row.scored, row.scored ? (row.total / row.scored).toFixed(1) : "–"];
  }

  function scorecardMarkdown(scorecard) {
    const totals = scorecardTotals(scorecard);
    const lines = ["# Interview scorecard", "", "Candidate: " + (scorecard.candidate || "—") + "  ",
      "Date: " + dayFromToday(0), "",
      markdownRow(["#", "Question", "Level", "Topic", "Score", "Notes"]), "|---|---|---|---|---|---|"];
    scorecard.items.forEach((item, index) => {
      const link = "[" + item.title.replace(/[[\]]/g, "\\$&") + "](" + new URL(item.url, location.href).href + ")";
      lines.push(markdownRow([index + 1, link, item.levelLabel, item.topicTitle, item.score ? item.score + "/4" : "–", item.notes || ""]));
    });
    lines.push("", "## Totals by level", "", markdownRow(["Level", "Questions", "Scored", "Total", "Average"]), "|---|---|---|---|---|");
    totals.rows.concat([totals.all]).forEach((row) => lines.push(markdownRow(totalsCells(row))));
    return lines.join("\n") + "\n";
  }

  function paintScorecardTotals(table, scorecard) {
    const totals = scorecardTotals(scorecard);
    const body = $("tbody", table);
    const foot = $("tfoot", table) || table.appendChild(document.createElement("tfoot"));
    body.textContent = "";
    foot.textContent = "";
    totals.rows.concat([totals.all]).forEach((row, rowIndex) => {
      const tableRow = (rowIndex < totals.rows.length ? body : foot).insertRow();
      totalsCells(row).forEach((value, column) => {
        const cell = document.createElement(column ? "td" : "th");
        if (!column) cell.scope = "row";
        cell.textContent = value;
        tableRow.appendChild(cell);
      });
    });
  }

  /** One picked question, from the panel's <template>: score radios named per position, notes, remove. */
  function scorecardItemElement(template, item, index) {
    const element = template.content.firstElementChild.cloneNode(true);
    element.dataset.url = item.url;
    const link = $(".sc-title", element);
    link.href = item.url;
    link.textContent = item.title;
    $(".badge", element).replaceWith(levelBadge(item.level, item.levelLabel));
    $(".item-topic", element).textContent = item.topicTitle;
    $(".sc-expected p", element).textContent = item.summary;
    $$(".visually-hidden", element).forEach((hidden) => { hidden.textContent = ": " + item.title; });
    $$("input[type=radio]", element).forEach((radio) => {
      radio.name = "score-" + index;
      radio.checked = Number(radio.value) === item.score;
    });
    $("textarea", element).value = item.notes || "";
    $(".sc-remove", element).setAttribute("aria-label", "Remove " + item.title);
    return element;
  }

  /** "Add to scorecard" for one list item; render() paints its state. */
  function pickButton(item) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-quiet sc-pick";
    const label = document.createElement("span");
    label.className = "sc-pick-label";
    const target = document.createElement("span");
    target.className = "visually-hidden";
    target.textContent = ": " + textOf($(".question-link", item));
    // One flex item, so no space appears between the words and the title in the button's name.
    const name = document.createElement("span");
    name.append(label, target);
    button.appendChild(name);
    return button;
  }

  /** Interviewer scorecard on the all-questions page: picked questions with a 1-4 score and notes. */
  function initScorecard() {
    const panel = $("[data-scorecard]");
    const list = $("[data-filterable]");
    if (!panel || !list) return;
    const opener = $("[data-scorecard-open]");
    const itemList = $("[data-sc-items]", panel);
    const template = $("[data-sc-template]", panel);
    const status = $("[data-sc-status]", panel);
    const candidate = $("[data-sc-candidate]", panel);

    const paintTotals = () => paintScorecardTotals($("[data-sc-totals]", panel), scorecardStore.read());
    const render = () => {
      const scorecard = scorecardStore.read();
      candidate.value = scorecard.candidate || "";
      itemList.textContent = "";
      $("[data-sc-empty]", panel).hidden = scorecard.items.length > 0;
      scorecard.items.forEach((item, index) => itemList.appendChild(scorecardItemElement(template, item, index)));
      $$(".sc-pick", list).forEach((button) => paintPickButton(button, scorecardStore.indexOf(scorecard, button.closest("li").dataset.url) >= 0));
      paintTotals();
    };
    const updateItem = (element, field, value) => {
      const scorecard = scorecardStore.read();
      const index = scorecardStore.indexOf(scorecard, element.closest(".sc-item").dataset.url);
      if (index < 0) return;
      scorecard.items[index][field] = value;
      scorecardStore.write(scorecard);
      paintTotals();
    };
    const open = () => {
      panel.hidden = false;
      main.classList.add("scorecard-open");
      opener.setAttribute("aria-expanded", "true");
      $$(".question-item", list).forEach((item) => { if (!$(".sc-pick", item)) $(".question-item-meta", item).appendChild(pickButton(item)); });
      render();
    };
    const close = () => {
      panel.hidden = true;
      main.classList.remove("scorecard-open");
      opener.setAttribute("aria-expanded", "false");
      $$(".sc-pick", list).forEach((button) => button.remove());
      opener.focus();
    };

    listen(itemList, "change", (event) => { if (event.target.type === "radio") updateItem(event.target, "score", Number(event.target.value)); });
    listen(itemList, "input", (event) => { if (event.target.tagName === "TEXTAREA") updateItem(event.target, "notes", event.target.value); });
    listen(itemList, "click", (event) => {
      const remove = event.target.closest(".sc-remove");
      if (!remove) return;
      const scorecard = scorecardStore.read();
      const index = scorecardStore.indexOf(scorecard, remove.closest(".sc-item").dataset.url);
      scorecard.items.splice(index, 1);
      scorecardStore.write(scorecard);
      render();
      status.textContent = "Removed from the scorecard.";
      const removeButtons = $$(".sc-remove", itemList);
      (removeButtons[Math.min(index, removeButtons.length - 1)] || candidate).focus();
    });
    listen(candidate, "input", () => {
      const scorecard = scorecardStore.read();
      scorecard.candidate = candidate.value;
      scorecardStore.write(scorecard);
    });
    listen(opener, "click", () => (panel.hidden ? open() : close()));
    listen($("[data-sc-close]", panel), "click", close);
    listen(list, "click", (event) => {
      const button = event.target.closest(".sc-pick");
      if (!button) return;
      const item = button.closest("li");
      const added = scorecardStore.toggle(questionOf(item), textOf($(".question-summary", item)));
      render();
      status.textContent = added ? "Added to the scorecard." : "Removed from the scorecard.";
    });
    listen($("[data-sc-print]", panel), "click", () => window.print());
    listen($("[data-sc-clear]", panel), "click", () => {
      if (!confirm("Clear the scorecard: every picked question, score and note?")) return;
      scorecardStore.write({ candidate: "", items: [] });
      render();
      status.textContent = "The scorecard is empty.";
    });
    listen($("[data-sc-copy]", panel), "click", () => {
      copyText(scorecardMarkdown(scorecardStore.read()), status, "Copied the scorecard as Markdown.", "Scorecard as Markdown");
    });
    listen(window, "storage", (event) => { if (event.key === STORAGE_KEYS.scorecard && !panel.hidden) render(); });
    if (location.hash === "#scorecard") { open(); panel.scrollIntoView(); }
  }

  // ------------------------------------------------------- mock interview

  /**
   * N questions drawn at random from the chosen levels and topics, spread
   * over the topics (one topic at a time in random order) so a short
   * interview is not all ORM.
   */
  function drawMockQuestions(items, count) {
    const byTopic = {};
    items.forEach((item) => { (byTopic[item.dataset.topic] = byTopic[item.dataset.topic] || []).push(item); });
    const pools = shuffleInPlace(Object.keys(byTopic).map((topic) => shuffleInPlace(byTopic[topic])));
    const drawn = [];
    while (drawn.length < count && pools.some((pool) => pool.length)) {
      pools.forEach((pool) => { if (pool.length && drawn.length < count) drawn.push(pool.pop()); });
    }
    return shuffleInPlace(drawn);
  }

  const MOCK_SCORE_LABELS = ["missed", "weak", "ok", "strong"];
  const MOCK_TOP_SCORE = MOCK_SCORE_LABELS.length - 1;

  function mockTotals(answers) {
    const score = answers.reduce((sum, answer) => sum + answer.score, 0);
    const seconds = answers.reduce((sum, answer) => sum + answer.seconds, 0);
    return { score: score, possible: MOCK_TOP_SCORE * answers.length, seconds: seconds, average: answers.length ? seconds / answers.length : 0 };
  }

  function mockTotalsText(answers) {
    const totals = mockTotals(answers);
    const percent = totals.possible ? Math.round(100 * totals.score / totals.possible) : 0;
    return "Score " + totals.score + " of " + totals.possible + " (" + percent + "%) · time " + formatDuration(totals.seconds) +
      ", " + formatDuration(totals.average) + " a question on average.";
  }

  function mockMarkdown(answers) {
    const lines = ["# Mock interview", "", "Date: " + dayFromToday(0) + "  ", mockTotalsText(answers), "",
      markdownRow(["#", "Question", "Level", "Topic", "Score", "Time"]), "|---|---|---|---|---|---|"];
    answers.forEach((answer, index) => {
      const question = answer.question;
      const link = "[" + question.title.replace(/[[\]]/g, "\\$&") + "](" + new URL(question.url, location.href).href + ")";
      lines.push(markdownRow([index + 1, link, question.levelLabel, question.topicTitle,
        answer.score + "/" + MOCK_TOP_SCORE + " " + MOCK_SCORE_LABELS[answer.score], formatDuration(answer.seconds)]));
    });
    return lines.join("\n") + "\n";
  }

  function mockSummaryRow(answer, index) {
    const row = document.createElement("tr");
    const link = document.createElement("a");
    link.href = answer.question.url;
    link.textContent = answer.question.title;
    const cells = [String(index + 1), link, answer.question.levelLabel, answer.question.topicTitle,
      answer.score + "/" + MOCK_TOP_SCORE + " " + MOCK_SCORE_LABELS[answer.score], formatDuration(answer.seconds)];
    cells.forEach((value, column) => {
      // The question names the row.
      const cell = document.createElement(column === 1 ? "th" : "td");
      if (column === 1) cell.scope = "row";
      cell.append(value);
      row.appendChild(cell);
    });
    return row;
  }

  function paintMockSummary(summary, answers) {
    $("[data-mock-totals]", summary).textContent = answers.length ? mockTotalsText(answers) : "No question was scored.";
    const body = $("tbody", summary);
    body.textContent = "";
    answers.forEach((answer, index) => body.appendChild(mockSummaryRow(answer, index)));
    $("table", summary).hidden = !answers.length;
  }

  /** Mock interview on the all-questions page: setup, one timed question at a time, self-scores, a summary. */
  function initMockInterview() {
    const panel = $("[data-mock]");
    const list = $("[data-filterable]");
    if (!panel || !list) return;
    const opener = $("[data-mock-open]");
    // The setup form joins the page when the panel first opens: until then its
    // "Junior" or "ORM" boxes would be a second control of that name beside the filters'.
    const setupTemplate = $("[data-mock-setup-template]", panel);
    const setup = setupTemplate.content.firstElementChild.cloneNode(true);
    const run = $("[data-mock-run]", panel);
    const summary = $("[data-mock-summary]", panel);
    const timer = $("[data-mock-timer]", panel);
    const answerBox = $("[data-mock-answer]", panel);
    const revealButton = $("[data-mock-reveal]", panel);
    const status = $("[data-mock-status]", panel);
    let drawn = [];
    let answers = [];
    let questionStartedAt = 0;
    let ticking = null;

    const showStage = (stage) => {
      [setup, run, summary].forEach((element) => { element.hidden = element !== stage; });
    };
    const elapsedSeconds = () => (Date.now() - questionStartedAt) / 1000;
    const tick = () => { timer.textContent = formatDuration(elapsedSeconds()); };
    const stopTimer = () => { clearInterval(ticking); ticking = null; };

    const open = () => {
      if (!setup.isConnected) setupTemplate.replaceWith(setup);
      panel.hidden = false;
      main.classList.add("mock-open");
      if (opener) opener.setAttribute("aria-expanded", "true");
      showStage(setup);
      $("h2", panel).focus();
    };
    const close = () => {
      stopTimer();
      panel.hidden = true;
      main.classList.remove("mock-open");
      if (opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
    };
    const showQuestion = (index) => {
      if (index >= drawn.length) return showSummary();
      const question = questionOf(drawn[index]);
      $("[data-mock-position]", panel).textContent = "Question " + (index + 1) + " of " + drawn.length;
      const meta = $("[data-mock-meta]", panel);
      meta.textContent = "";
      meta.append(levelBadge(question.level, question.levelLabel), document.createTextNode(question.topicTitle));
      $("[data-mock-question]", panel).textContent = question.title;
      $("[data-mock-quick-answer]", panel).textContent = textOf($(".question-summary", drawn[index]));
      answerBox.hidden = true;
      revealButton.hidden = false;
      questionStartedAt = Date.now();
      tick();
      stopTimer();
      ticking = setInterval(tick, 1000);
      $("[data-mock-question]", panel).focus();
    };
    const start = (event) => {
      event.preventDefault();
      const levels = $$("input[name=mock-level]:checked", setup).map((box) => box.value);
      const topics = $$("input[name=mock-topic]:checked", setup).map((box) => box.value);
      const count = Math.max(1, Math.min(Number($("[data-mock-count]", setup).value) || 1, 50));
      const pool = $$(".question-item", list).filter((item) => levels.indexOf(item.dataset.level) >= 0 && topics.indexOf(item.dataset.topic) >= 0);
      const setupStatus = $("[data-mock-setup-status]", setup);
      if (!pool.length) {
        setupStatus.textContent = "No question matches: choose at least one level and one topic.";
        return;
      }
      setupStatus.textContent = pool.length < count ? "Only " + plural(pool.length, "question") + " match; the interview has all of them." : "";
      drawn = drawMockQuestions(pool, count);
      answers = [];
      showStage(run);
      showQuestion(0);
    };
    const score = (value) => {
      answers.push({ question: questionOf(drawn[answers.length]), score: value, seconds: Math.round(elapsedSeconds()) });
      showQuestion(answers.length);
    };
    const showSummary = () => {
      stopTimer();
      showStage(summary);
      status.textContent = "";
      paintMockSummary(summary, answers);
      $("h3", summary).focus();
    };

    listen(opener, "click", () => (panel.hidden ? open() : close()));
    listen(setup, "submit", start);
    listen(revealButton, "click", () => {
      answerBox.hidden = false;
      revealButton.hidden = true;
      $("[data-mock-score]", run).focus();
    });
    $$("[data-mock-score]", run).forEach((button) => listen(button, "click", () => score(Number(button.dataset.mockScore))));
    listen($("[data-mock-finish]", run), "click", showSummary);
    // Delegated: the setup form's Close button joins the panel later.
    listen(panel, "click", (event) => { if (event.target.closest("[data-mock-close]")) close(); });
    listen($("[data-mock-again]", summary), "click", () => { showStage(setup); $("h2", panel).focus(); });
    listen($("[data-mock-print]", summary), "click", () => window.print());
    listen($("[data-mock-copy]", summary), "click", () => copyText(mockMarkdown(answers), status, "Copied the summary as Markdown.", "Mock interview summary as Markdown"));
    if (location.hash === "#mock") open();
  }

  // ----------------------------------------------------------------- start

  migrateLegacyStorage();
  [
    initTheme, initSearchLoader, initSearchShortcut, initCopyButtons, initScrollableFocus, initOutline,
    initProgress, initFilters, initPractice, initDueToday, initScorecardToggle, initScorecard, initMockInterview,
  ].forEach((init) => init());
})();
