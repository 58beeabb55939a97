// Search as a reader uses it: the box on every page, the /search/ page,
// typos, keyboard, hostile input, lazy loading and a base URL with a path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, launch, strictPage, withSiteAndBrowser } from "./lib.js";
import { serve } from "../../tools/static-server.mjs";

const env = withSiteAndBrowser();

/** Type a query into the header box and wait until its results are shown. */
async function type(page, text) {
  const box = page.locator("#search-input");
  await box.focus();
  await box.fill(text);
  await page.waitForFunction((q) => document.getElementById("search-listbox")?.dataset.query === q, text.trim());
  await page.locator(".search-option").first().waitFor();
}

test("results appear as you type, with level, topic and highlighted words", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("orm/"));
  await type(page, "select_related");
  const first = page.locator(".search-option").first();
  assert.match(await first.getAttribute("href"), /\/orm\/select-related-vs-prefetch-related\//);
  assert.match(await first.locator(".badge").textContent(), /Junior|Mid|Senior/);
  assert.match(await first.locator(".search-result-meta").textContent(), /ORM/);
  assert.ok((await first.locator("mark").count()) > 0, "matched words are highlighted");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("typos, plurals and identifier spellings find the right question", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(""));
  const cases = [
    ["prefetch_relted", "/orm/select-related-vs-prefetch-related/"],
    ["select related", "/orm/select-related-vs-prefetch-related/"],
    ["selectrelated", "/orm/select-related-vs-prefetch-related/"],
    ["n+1", "/orm/n-plus-one/"],
    ["migrating", "/orm/migrations/"],
    ["csrf token", "/forms/csrf-protection/"],
  ];
  for (const [query, expected] of cases) {
    await type(page, query);
    const hrefs = await page.locator(".search-option").evaluateAll((links) => links.slice(0, 3).map((a) => a.pathname));
    assert.ok(hrefs.includes(expected), `${query}: ${hrefs.join(", ")}`);
  }
  await page.close();
});

test("a transposed letter, a dotted API name and call syntax rank the right question first", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(""));
  const cases = [
    ["singals", /^\/signals\//],
    ["singal receiver", /^\/signals\/receiver-never-fires\/$/],
    ["QuerySet.only", /^\/orm\/only-defer-values\/$/],
    ["qs.only()", /^\/orm\/only-defer-values\/$/],
    ["only()", /^\/orm\/only-defer-values\/$/],
    ["django.db.models.F", /^\/orm\/f-and-q-expressions\/$/],
    ["@login_required", /^\/views\/login-required-vs-mixin\/$/],
    // A typo whose stem is some other word ("stamp") is still corrected.
    ["cache stampeed", /^\/caching\/cache-stampede\/$/],
    // The last word of several is looked up as a method too.
    ["queryset only", /^\/orm\/only-defer-values\/$/],
    // Of titles with the word, the one about little else.
    ["N+1 query", /^\/orm\/n-plus-one\/$/],
  ];
  for (const [query, expected] of cases) {
    await type(page, query);
    const first = await page.locator(".search-option").first().evaluate((a) => a.pathname);
    assert.match(first, expected, query);
  }
  await page.close();
});

test("the words of a question's title, typed as a phrase, find that question first", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(""));
  for (const [query, expected] of [
    ["N+1 query", "/orm/n-plus-one/"],
    ["select related", "/orm/select-related-vs-prefetch-related/"],
    ["Why does middleware order matter", "/middleware/middleware-order/"],
  ]) {
    await type(page, query);
    assert.equal(await page.locator(".search-option").first().evaluate((a) => a.pathname), expected, query);
  }
  await page.close();
});

test("highlights stop at word boundaries and snippets are cut at spaces", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("search/?q=related"));
  await page.locator("[data-search-results] .search-result-snippet mark").first().waitFor();
  const marks = await page.locator("[data-search-results] mark").evaluateAll((nodes) => nodes.map((mark) => {
    const before = mark.previousSibling ? mark.previousSibling.textContent.slice(-1) : "";
    const after = mark.nextSibling ? mark.nextSibling.textContent.slice(0, 1) : "";
    return [before, mark.textContent, after];
  }));
  assert.ok(marks.length > 0);
  for (const [before, text, after] of marks) {
    assert.doesNotMatch(before, /[\p{L}\p{N}]/u, `“${before}${text}${after}”`);
    assert.doesNotMatch(after, /[\p{L}\p{N}]/u, `“${before}${text}${after}”`);
  }
  for (const snippet of await page.locator("[data-search-results] .search-result-snippet").allTextContents()) {
    if (snippet.startsWith("… ")) assert.match(snippet, /^… \S/);
    if (snippet.endsWith(" …")) assert.match(snippet, /\S …$/);
  }
  await page.close();
});

test("typing an identifier key by key stays within the request budget", async () => {
  const fresh = await launch(); // an empty HTTP cache
  const page = await strictPage(fresh.context);
  await page.goto(env.site.url(""));
  const box = page.locator("#search-input");
  await box.focus();
  await box.type("s");
  await page.waitForFunction(() => document.getElementById("search-listbox")?.dataset.query === "s");
  await page.waitForLoadState("networkidle");
  // After the first query: at most 6 requests and 60 KB while typing the rest.
  const seen = [];
  let bytes = 0;
  page.on("requestfinished", async (request) => {
    if (!/\/search\//.test(request.url())) return;
    seen.push(request.url());
    bytes += (await request.sizes()).responseBodySize;
  });
  await box.type("elect_related", { delay: 60 });
  await page.waitForFunction(() => document.getElementById("search-listbox")?.dataset.query === "select_related");
  await page.waitForTimeout(600); // the snippets that follow a pause in typing
  await page.waitForLoadState("networkidle");
  assert.ok(seen.length <= 6, `${seen.length} requests: ${seen.join(" ")}`);
  assert.ok(bytes <= 60 * 1024, `${bytes} bytes`);
  assert.equal(new Set(seen).size, seen.length, "no file fetched twice");
  await fresh.close();
});

test("the /search/ box searches as you type and keeps ?q= current", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("search/"));
  await page.locator("#search-page-input").fill("csrf token");
  await page.waitForFunction(() => document.querySelector("[data-search-results]").dataset.query === "csrf token");
  assert.match(page.url(), /\/search\/\?q=csrf\+token$/);
  assert.equal(await page.locator("[data-search-results] a").first().evaluate((a) => a.pathname), "/forms/csrf-protection/");
  await page.close();
});

test("arrow keys and Enter navigate, Escape closes", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(""));
  await type(page, "csrf");
  const box = page.locator("#search-input");
  await box.press("ArrowDown");
  const active = await box.getAttribute("aria-activedescendant");
  assert.equal(active, "search-option-0");
  assert.equal(await page.locator("#search-option-0").getAttribute("aria-selected"), "true");
  await box.press("ArrowDown");
  assert.equal(await box.getAttribute("aria-activedescendant"), "search-option-1");
  await box.press("ArrowUp");
  const target = await page.locator("#search-option-0").evaluate((a) => a.pathname);
  await Promise.all([page.waitForURL((url) => url.pathname === target), box.press("Enter")]);

  await type(page, "middleware");
  assert.equal(await page.locator("#search-input").getAttribute("aria-expanded"), "true");
  await page.locator("#search-input").press("Escape");
  assert.equal(await page.locator("#search-input").getAttribute("aria-expanded"), "false");
  assert.ok(await page.locator(".search-popup").isHidden());
  await page.close();
});

test("the / key focuses the search box", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("orm/n-plus-one/"));
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.close();
});

test("the index is not downloaded until the box is focused", async () => {
  const fresh = await launch(); // an empty HTTP cache
  const page = await strictPage(fresh.context);
  const fetched = [];
  page.on("request", (request) => { if (/\/search\/.+\.json/.test(request.url())) fetched.push(request.url()); });
  await page.goto(env.site.url("orm/n-plus-one/"));
  await page.waitForLoadState("networkidle");
  assert.deepEqual(fetched, []);
  await Promise.all([page.waitForRequest(/\/search\/meta\.json/), page.locator("#search-input").focus()]);
  await fresh.close();
});

test("/search/?q= lists results best first as links in [data-search-results]", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("search/?q=select_related"));
  const links = page.locator("[data-search-results] a");
  await links.first().waitFor();
  assert.match(await links.first().getAttribute("href"), /\/orm\/select-related-vs-prefetch-related\//);
  assert.ok((await links.count()) >= 5);
  assert.equal(await page.locator("#search-page-input").inputValue(), "select_related");
  assert.match(await page.locator(".search-status").textContent(), /results? for “select_related”/);
  await page.close();
});

test("level chips filter the results", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("search/?q=queries"));
  await page.locator("[data-search-results] a").first().waitFor();
  const all = await page.locator("[data-search-results] li").count();
  await page.locator("main .search-chips button[data-level='s']").click();
  await page.waitForFunction((n) => document.querySelectorAll("[data-search-results] li").length < n, all);
  const levels = await page.locator("[data-search-results] .badge").allTextContents();
  assert.ok(levels.length > 0 && levels.every((label) => label === "Senior"), levels.join(","));
  await page.close();
});

test("hostile queries are shown as text, never run", async () => {
  const page = await strictPage(env.browser.context);
  let dialogs = 0;
  page.on("dialog", async (dialog) => { dialogs++; await dialog.dismiss(); });
  const hostile = "<img src=x onerror=alert(1)>";
  await page.goto(env.site.url(`search/?q=${encodeURIComponent(hostile)}`));
  await page.waitForFunction(() => !/Searching/.test(document.querySelector(".search-status").textContent));
  assert.equal(await page.locator("main img").count(), 0);
  assert.ok((await page.locator(".search-status").textContent()).includes(hostile));
  await page.locator("#search-input").fill(hostile);
  await page.waitForTimeout(300);
  assert.equal(await page.locator("header img").count(), 0);
  assert.equal(dialogs, 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("search works under a base URL with a path", async () => {
  const folder = mkdtempSync(join(tmpdir(), "djguide-base-"));
  mkdirSync(join(folder, "guide"));
  const server = await serve(folder);
  try {
    const base = `${server.url}guide/`;
    const build = spawnSync("cargo", ["run", "--release", "--quiet", "--", "build", "--output", join(folder, "guide"), "--base-url", base],
      { cwd: REPO, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
    const page = await strictPage(env.browser.context);
    await page.goto(`${base}search/?q=select_related`);
    const first = page.locator("[data-search-results] a").first();
    await first.waitFor();
    assert.match(await first.getAttribute("href"), /^\/guide\/orm\/select-related-vs-prefetch-related\//);
    await type(page, "csrf");
    assert.match(await page.locator(".search-option").first().getAttribute("href"), /^\/guide\//);
    assert.deepEqual(page.problems, []);
    await page.close();
  } finally {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
