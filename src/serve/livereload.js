// djguide serve: reload when the site is rebuilt, keeping the scroll
// position; show build errors over the page. Injected only while serving.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = Number(script && script.getAttribute("data-djguide-build")) || 0;
  var key = "djguide-scroll:" + location.pathname + location.search;
  var overlay = null;

  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      var y = Number(saved) || 0;
      window.scrollTo(0, y);
      // Again once images and fonts have settled the layout.
      window.addEventListener("load", function () { window.scrollTo(0, y); });
    }
  } catch (e) { /* storage disabled: reload without restoring */ }

  function showFailure(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("data-djguide-overlay", "");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,24,.94);color:#f4f4f5;font:14px/1.5 ui-monospace,monospace;";
      var title = document.createElement("p");
      title.textContent = "Build failed: fix the file and save; this page reloads by itself.";
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#fca5a5;";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Hide";
      close.style.cssText = "float:right;font:inherit;";
      close.addEventListener("click", function () { overlay.style.display = "none"; });
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;";
      overlay.appendChild(close);
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    // Text, never HTML: diagnostics quote the author's file.
    overlay.lastChild.textContent = text;
    overlay.style.display = "block";
  }

  var events = new EventSource("/__djguide/events?since=" + build);
  events.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    if (data.build <= build) return;
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) { /* ignore */ }
    events.close();
    location.reload();
  });
  events.addEventListener("build-error", function (event) {
    showFailure(JSON.parse(event.data).text);
  });
})();
