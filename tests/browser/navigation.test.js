// A reader's way through the site: home → level → topic → question →
// next question, breadcrumbs, tags, the 404 page, headings you can link to,
// and code you can copy without line numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PAGE_KINDS, strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser({ permissions: ["clipboard-read", "clipboard-write"] });

test("every page kind loads without errors and has one h1 and the landmarks", async () => {
  const page = await strictPage(env.browser.context);
  for (const [kind, path] of Object.entries(PAGE_KINDS)) {
    const response = await page.goto(env.site.url(path), { waitUntil: "networkidle" });
    assert.equal(response.status(), kind === "404" ? 404 : 200, kind);
    assert.equal(await page.locator("h1").count(), 1, `${kind}: one h1`);
    for (const role of ["banner", "main", "contentinfo"]) {
      assert.equal(await page.getByRole(role).count(), 1, `${kind}: ${role} landmark`);
    }
    assert.equal(await page.getByRole("navigation", { name: "Main" }).count(), 1, `${kind}: main navigation`);
    assert.equal(await page.locator("#search-input").count(), 1, `${kind}: search box`);
  }
  // The 404 page's own status is the one expected error.
  const notFound = env.site.url(PAGE_KINDS["404"]);
  assert.deepEqual(page.problems.filter((p) => !p.endsWith(`(${notFound})`)), []);
  await page.close();
});

test("home → level → topic → question → next and back", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(""));
  await page.locator(".levels-grid").getByRole("link", { name: "Mid" }).click();
  await page.waitForURL(/\/levels\/mid\/$/);
  assert.match(await page.locator("h1").innerText(), /^Mid questions/);
  assert.equal(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mid" }).getAttribute("aria-current"), "page");

  await page.locator(".question-group h2 a").first().click();
  await page.waitForURL((url) => !url.pathname.includes("/levels/"));
  assert.equal(await page.evaluate(() => document.body.dataset.pageKind), "topic");
  const topic = await page.locator("h1").innerText();

  const first = page.locator(".question-item .question-link").first();
  const title = await first.innerText();
  await first.click();
  await page.waitForLoadState();
  assert.equal(await page.locator("h1").innerText(), title);
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link");
  assert.deepEqual((await crumbs.allInnerTexts()).slice(0, 2), ["Home", topic]);
  assert.ok(await page.locator(".question-meta .badge").isVisible(), "level badge");
  assert.ok(await page.locator(".quick-answer").isVisible(), "quick answer");
  assert.match(await page.locator(".question-meta").innerText(), /Question 1 of \d+/);

  const next = page.getByRole("link", { name: /^Next/ });
  const nextTitle = (await next.locator(".pager-title").innerText()).trim();
  await next.click();
  await page.waitForLoadState();
  assert.equal(await page.locator("h1").innerText(), nextTitle);
  await page.getByRole("link", { name: /^← Previous/ }).click();
  await page.waitForLoadState();
  assert.equal(await page.locator("h1").innerText(), title);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a question page has everything an answer needs", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(PAGE_KINDS.question));
  for (const selector of [".quick-answer", ".answer", ".red-flag", ".follow-ups li", ".related .question-item", ".tags .tag"]) {
    assert.ok(await page.locator(selector).first().isVisible(), selector);
  }
  // The table of contents links to headings that exist, each with a permalink.
  const toc = await page.locator(".toc a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.ok(toc.length >= 3);
  for (const href of toc) assert.equal(await page.locator(`${href}`).count(), 1, href);
  const headings = await page.locator(".answer h2, .answer h3").evaluateAll((hs) =>
    hs.map((h) => [h.id, h.querySelector(".heading-anchor")?.getAttribute("href")]));
  for (const [id, href] of headings) assert.equal(href, `#${id}`);
  // Edit link points at the source file.
  assert.match(await page.getByRole("link", { name: "Edit this page" }).getAttribute("href"), /\/edit\/main\/content\/orm\/n-plus-one\.md$/);
  // Tags lead to tag pages that list this question.
  const title = await page.locator("h1").innerText();
  await page.locator(".tags .tag").first().click();
  await page.waitForLoadState();
  assert.match(await page.locator("h1").innerText(), /^Questions tagged #/);
  assert.ok(await page.getByRole("link", { name: title, exact: true }).isVisible());
  await page.close();
});

test("code: the copy button copies the code, and line numbers are never part of it", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("questions/"));
  // Find a page with numbered lines through the hub's links, in the env.browser.
  const found = await page.evaluate(async () => {
    for (const a of document.querySelectorAll(".question-link")) {
      const html = await (await fetch(a.href)).text();
      if (/<pre class="code-block[^"]* linenos/.test(html)) return a.href;
    }
    return null;
  });
  assert.ok(found, "a page with line numbers");
  await page.goto(found);
  const block = page.locator("pre.linenos").first();
  const code = await block.locator("code").evaluate((c) => c.textContent.replace(/\n$/, ""));
  // Selecting the block and copying it yields the code alone.
  const selected = await block.evaluate((pre) => {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
  });
  assert.equal(selected.replace(/\n$/, ""), code);
  assert.doesNotMatch(selected, /^\s*1\s/);
  // The line number is generated content, not text.
  assert.equal(await block.locator(".line").first().evaluate((l) => getComputedStyle(l, "::before").content), "counter(line)");
  const figure = block.locator("xpath=..");
  await figure.getByRole("button", { name: /^Copy code/ }).click();
  await page.waitForFunction(() => document.querySelector("pre.linenos")?.parentElement.querySelector(".copy-button")?.textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
  await page.close();
});

test("the 404 page is friendly and leads somewhere", async () => {
  const page = await strictPage(env.browser.context);
  const response = await page.goto(env.site.url("orm/no-such-question/"));
  assert.equal(response.status(), 404);
  assert.equal(await page.locator("h1").innerText(), "Page not found");
  await page.getByRole("link", { name: /^All \d+ questions$/ }).click();
  await page.waitForURL(/\/questions\/$/);
  assert.ok(await page.locator(".question-item").count() > 50);
  await page.close();
});
