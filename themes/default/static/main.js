// djguide: progressive enhancements. Every page reads fine without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  var THEME_KEY = "djguide-theme";

  function storedTheme() { try { return localStorage.getItem(THEME_KEY); } catch (e) { return null; } }
  function currentTheme() {
    return root.dataset.theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  }

  // Theme toggle: flips between light and dark and remembers the choice.
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    var label = function () {
      var dark = currentTheme() === "dark";
      toggle.setAttribute("aria-pressed", String(dark));
      toggle.setAttribute("aria-label", dark ? "Switch to light mode" : "Switch to dark mode");
    };
    toggle.hidden = false;
    label();
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode */ }
      label();
    });
  }

  // "/" focuses the search box unless the reader is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById("search-input");
    if (box) { event.preventDefault(); box.focus(); }
  });

  // Copy buttons on code blocks: copy the code only, never line numbers.
  document.querySelectorAll("figure.code:not(.output)").forEach(function (figure) {
    var code = figure.querySelector("code");
    if (!code || !navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    var lang = figure.dataset.lang;
    var prompt = lang === "console" || lang === "shell-session" ? /^\$ / : lang === "pycon" ? /^(>>>|\.\.\.) ?/ : null;
    button.addEventListener("click", function () {
      var text = code.textContent.replace(/\n$/, "");
      if (prompt) {
        // Session transcripts: copy the commands, not the prompts or the output.
        text = text.split("\n").filter(function (line) { return prompt.test(line); })
          .map(function (line) { return line.replace(prompt, ""); }).join("\n");
      }
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = "Copied";
        button.setAttribute("aria-label", "Code copied");
        setTimeout(function () { button.textContent = "Copy"; button.setAttribute("aria-label", "Copy code to clipboard"); }, 1500);
      });
    });
    figure.appendChild(button);
  });

  // Filters on the all-questions page.
  var filters = document.querySelector("[data-filters]");
  var list = document.querySelector("[data-filterable]");
  if (filters && list) {
    filters.hidden = false;
    var items = list.querySelectorAll(".question-item");
    var count = filters.querySelector(".filter-count");
    var apply = function () {
      var levels = {};
      filters.querySelectorAll("input[name=level]").forEach(function (box) { levels[box.value] = box.checked; });
      var topic = filters.querySelector("select[name=topic]").value;
      var shown = 0;
      items.forEach(function (item) {
        var visible = levels[item.dataset.level] && (!topic || item.dataset.topic === topic);
        item.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = shown + " of " + items.length + " questions";
    };
    filters.addEventListener("change", apply);
    apply();
  }
})();
