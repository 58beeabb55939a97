// The /questions/ hub: level and topic filters that work client-side, are
// kept in the URL, and leave the full list in place without JavaScript.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser();

const visible = (page) => page.locator(".question-item:visible");

test("level and topic filters narrow the list, count it, and survive a reload", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("questions/"));
  const total = await page.locator(".question-item").count();
  assert.ok(total > 50);
  const filters = page.getByRole("form", { name: "Filter" });
  assert.equal(await filters.locator("[data-filter-count]").innerText(), `${total} of ${total} questions`);

  await filters.getByLabel("Junior").uncheck();
  await filters.getByLabel("Senior").uncheck();
  const mid = await page.locator('.question-item[data-level="mid"]').count();
  assert.equal(await visible(page).count(), mid);
  assert.equal(await filters.locator("[data-filter-count]").innerText(), `${mid} of ${total} questions`);
  for (const level of await visible(page).evaluateAll((items) => items.map((li) => li.dataset.level))) {
    assert.equal(level, "mid");
  }

  await filters.getByLabel("Topic").selectOption("orm");
  const midOrm = await page.locator('.question-item[data-level="mid"][data-topic="orm"]').count();
  assert.ok(midOrm > 0 && midOrm < mid);
  assert.equal(await visible(page).count(), midOrm);
  assert.match(page.url(), /\/questions\/\?level=mid&topic=orm$/);
  // Practice follows the filter: its progress counts what is shown.
  assert.equal(await page.locator("[data-practice-bar] [data-total-text]").innerText(), String(midOrm));

  await page.reload();
  assert.equal(await visible(page).count(), midOrm);
  assert.equal(await page.getByLabel("Junior").isChecked(), false);
  assert.equal(await page.getByLabel("Topic").inputValue(), "orm");

  await page.getByLabel("Junior").check();
  await page.getByLabel("Senior").check();
  await page.getByLabel("Topic").selectOption("");
  assert.equal(await visible(page).count(), total);
  assert.match(page.url(), /\/questions\/$/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a shared link opens the hub already filtered", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("questions/?level=senior"));
  const senior = await page.locator('.question-item[data-level="senior"]').count();
  assert.equal(await visible(page).count(), senior);
  await page.close();
});

test("without JavaScript the hub is the full list and the filters are not shown", async (t) => {
  const noScript = await launch({ javaScriptEnabled: false });
  t.after(() => noScript.close());
  const page = await noScript.context.newPage();
  await page.goto(env.site.url("questions/?level=senior"));
  const total = await page.locator(".question-item").count();
  assert.equal(await visible(page).count(), total);
  assert.equal(await page.locator("[data-filters]").isVisible(), false);
  assert.equal(await page.locator("[data-practice-bar]").isVisible(), false);
});

test("the changes page leads to each version note and to the list filtered by release", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(""));
  await page.getByRole("region", { name: "What changed in recent releases" }).getByRole("link").first().click();
  await page.waitForURL(/\/changes\/#[a-z]+-\d+\.\d+$/);
  const key = new URL(page.url()).hash.slice(1);
  const section = page.locator(`section[aria-labelledby="${key}"]`);
  const label = await section.locator("h2").innerText();
  const notes = section.locator(".change-item");
  assert.ok((await notes.count()) > 0);

  // Every note link lands on a version callout of that release.
  const first = notes.first().locator("a.question-link");
  const href = await first.getAttribute("href");
  await first.click();
  await page.waitForURL((url) => url.href.endsWith(href));
  const callout = page.locator(new URL(page.url()).hash);
  assert.match(await callout.getAttribute("class"), /\bcallout-version\b/);
  assert.ok((await callout.locator(".callout-title").innerText()).endsWith(` in ${label}`));

  await page.goBack();
  const questions = await section.locator(".change-item").evaluateAll((items) =>
    new Set(items.map((li) => li.querySelector("a.question-link").pathname)).size);
  await section.getByRole("link", { name: "Show only these in the question list" }).click();
  await page.waitForURL(new RegExp(`/questions/\\?changed=${key.replace(".", "\\.")}$`));
  assert.equal(await visible(page).count(), questions);
  for (const releases of await visible(page).evaluateAll((items) => items.map((li) => li.dataset.releases))) {
    assert.ok(releases.split(" ").includes(key), releases);
  }
  assert.equal(await page.getByLabel("Changed in").inputValue(), key);
  await page.getByLabel("Changed in").selectOption("");
  assert.match(page.url(), /\/questions\/$/);
  assert.deepEqual(page.problems, []);
  await page.close();
});
