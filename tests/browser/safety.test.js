// Hostile content cannot run script (issue 14). The hostile fixture site is
// built by the real binary; every page is opened in Chromium, every payload
// gets its chance to fire (images fail to load, elements are hovered,
// clicked and focused, details toggled, search shows the hostile summary),
// and nothing from the content may run: the `window.__pwned` trap stays
// untouched, no dialog opens, and no element carries an event handler or a
// script URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser({}, { siteRoot: "tests/fixtures/hostile" });

/** Every HTML page of the built site, as paths relative to its root. */
function htmlPages(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".html")) found.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root);
  return found.sort();
}

/**
 * A page with traps set before any of its own script runs: assigning
 * `window.__pwned` (what every payload does) and opening a dialog are
 * recorded. Returns { page, fired }.
 */
async function trappedPage(context) {
  const page = await context.newPage();
  const fired = [];
  page.on("dialog", (dialog) => {
    fired.push(`dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("pageerror", (error) => fired.push(`page error: ${error.message}`));
  await page.exposeFunction("__reportPwned", (value) => fired.push(`__pwned = ${value}`));
  await page.addInitScript(() => {
    Object.defineProperty(window, "__pwned", {
      configurable: false,
      get: () => undefined,
      set: (value) => window.__reportPwned(String(value)),
    });
  });
  return { page, fired };
}

/** Give every handler a payload could have hung on the content its event. */
async function provoke(page) {
  await page.evaluate(async () => {
    const content = document.querySelectorAll(".prose, .prose *");
    for (const element of content) {
      for (const type of ["mouseover", "mouseenter", "mousedown", "click", "focus", "toggle", "animationstart"]) {
        element.dispatchEvent(new Event(type, { bubbles: true }));
      }
      if (element instanceof HTMLElement) element.focus?.();
    }
    for (const details of document.querySelectorAll(".prose details")) details.open = !details.open;
    // Let failed image loads and toggle events fire.
    await new Promise((done) => setTimeout(done, 300));
  });
  // A real pointer too, over the rendered Markdown (not every page has any).
  const prose = await page.$(".prose");
  const box = await prose?.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + 10);
}

/** Anything in the DOM that could run script, described. */
async function scriptVectors(page) {
  return page.evaluate(() => {
    const found = [];
    for (const element of document.querySelectorAll("*")) {
      for (const { name, value } of element.attributes) {
        const tag = element.tagName.toLowerCase();
        if (/^on/i.test(name) || name === "srcdoc") found.push(`<${tag} ${name}>`);
        if (["href", "src", "action", "formaction", "data", "background", "poster"].includes(name)
          && /^\s*(javascript|vbscript|data):/i.test(value.replace(/[\t\n\r]/g, ""))) {
          found.push(`<${tag} ${name}="${value}">`);
        }
      }
    }
    for (const selector of ["iframe", "object", "embed", "frame", "base", ".prose script", ".prose style", ".prose form", ".prose svg", ".prose math"]) {
      for (const element of document.querySelectorAll(selector)) found.push(`${selector}: ${element.outerHTML.slice(0, 80)}`);
    }
    return found;
  });
}

test("no script from the content runs on any page", async () => {
  const pages = htmlPages(env.site.output);
  assert.ok(pages.length >= 10, pages.join(", "));
  for (const path of pages) {
    const { page, fired } = await trappedPage(env.browser.context);
    await page.goto(env.site.url(path.replace(/index\.html$/, "")), { waitUntil: "load" });
    await provoke(page);
    assert.deepEqual(fired, [], path);
    assert.deepEqual(await scriptVectors(page), [], path);
    await page.close();
  }
});

test("the trap works: a script that does get in is caught", async () => {
  const { page, fired } = await trappedPage(env.browser.context);
  await page.goto(env.site.url(""));
  await page.evaluate(() => {
    const img = document.createElement("img");
    img.setAttribute("onerror", "window.__pwned = 'control'");
    img.src = "no-such-image";
    document.body.append(img);
  });
  await page.waitForTimeout(300);
  assert.deepEqual(fired, ["__pwned = control"]);
  assert.equal((await scriptVectors(page)).length, 1);
  await page.close();
});

test("allowed HTML still works: details open and close, the page script runs", async () => {
  const { page, fired } = await trappedPage(env.browser.context);
  await page.goto(env.site.url("attacks/blocks/"));
  const details = page.locator(".prose details");
  assert.equal(await details.count(), 1);
  assert.equal(await details.evaluate((d) => d.open), true);
  await details.locator("summary").click();
  assert.equal(await details.evaluate((d) => d.open), false);
  assert.match(await details.textContent(), /Markdown inside still renders/);
  assert.equal(await page.locator(".prose details figure.code").count(), 1, "the code block stays inside");
  assert.equal(await page.locator("html.js").count(), 1, "the theme's own script ran");
  assert.deepEqual(fired, []);
  await page.close();
});

test("a hostile summary is shown as text in search results", async () => {
  const { page, fired } = await trappedPage(env.browser.context);
  await page.goto(env.site.url("search/?q=summaries"));
  const result = page.locator("[data-search-results] a").first();
  await result.waitFor();
  // The snippet arrives once typing pauses, from the question's fragment.
  await page.waitForFunction(() => document.querySelector("[data-search-results] .search-result-snippet")?.textContent);
  assert.match(await page.locator("[data-search-results]").textContent(), /<script>window\.__pwned = 'summary'<\/script>/);
  await page.locator("#search-input").fill("summaries");
  await page.locator(".search-option").first().waitFor();
  await page.waitForTimeout(200);
  assert.deepEqual(fired, []);
  assert.deepEqual(await scriptVectors(page), []);
  await page.close();
});
