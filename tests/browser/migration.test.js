// Stored data from before the versioned keys (issue 18): a reader who
// upgrades keeps their practice progress, theme choice and scorecard. The old
// "djguide-*" keys are read once, moved to "djguide:v2:*" with descriptive
// record fields, and removed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser({ colorScheme: "light" });

const storedKeys = (page) => page.evaluate(() => Object.keys(localStorage).sort());
const stored = (page, key) => page.evaluate((name) => JSON.parse(localStorage.getItem(name)), key);

/** localStorage as version 1 left it, written on a same-origin file that runs no page script. */
async function seedVersionOne(page, entries) {
  await page.goto(env.site.url("robots.txt"));
  await page.evaluate((values) => {
    localStorage.clear();
    for (const [key, value] of Object.entries(values)) localStorage.setItem(key, value);
  }, entries);
}

test("progress, theme and scorecard stored under the old keys survive the upgrade", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("orm/"));
  const [known, review] = await page.locator(".question-item").evaluateAll((items) => items.slice(0, 2).map((item) => ({
    url: item.dataset.url, level: item.dataset.level, topic: item.dataset.topic,
    title: item.querySelector(".question-link").textContent.trim(),
  })));
  const scorecard = {
    candidate: "Grace Hopper",
    items: [{ url: known.url, title: known.title, level: known.level, levelLabel: "Mid", topic: "orm", topicTitle: "ORM and databases", summary: "s", score: 3, notes: "clear" }],
  };
  await seedVersionOne(page, {
    "djguide-theme": "dark",
    "djguide-progress": JSON.stringify({
      [known.url]: { s: "known", l: known.level, t: known.topic },
      [review.url]: { s: "review", l: review.level, t: review.topic },
    }),
    "djguide-scorecard": JSON.stringify(scorecard),
  });

  // The first page after the upgrade is already dark: the head script reads
  // the old key before main.js has moved it.
  await page.addInitScript(() => {
    window.__themeBeforePaint = null;
    new MutationObserver(() => {
      if (window.__themeBeforePaint === null && !document.body) window.__themeBeforePaint = document.documentElement.dataset.theme;
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-theme"] });
  });
  await page.goto(env.site.url(""));
  assert.equal(await page.evaluate(() => window.__themeBeforePaint), "dark");
  const total = await page.locator(".your-practice [data-total-text]").innerText();
  assert.equal(await page.locator(".your-practice .progress-text").innerText(), `1 of ${total} known · 1 to review`);
  assert.equal(await page.locator("[data-due-count]").innerText(), "1 question due for review today.");

  // Moved, not copied: the old keys are gone and the records say what they hold.
  assert.deepEqual(await storedKeys(page), ["djguide:v2:progress", "djguide:v2:scorecard", "djguide:v2:theme"]);
  assert.equal(await page.evaluate(() => localStorage.getItem("djguide:v2:theme")), "dark");
  const progress = await stored(page, "djguide:v2:progress");
  const today = await page.evaluate(() => new Date().toLocaleDateString("sv"));
  const tomorrow = await page.evaluate(() => { const d = new Date(); d.setDate(d.getDate() + 1); return d.toLocaleDateString("sv"); });
  assert.deepEqual(progress[known.url], { status: "known", level: known.level, topic: known.topic, title: "", box: 2, due: tomorrow });
  assert.deepEqual(progress[review.url], { status: "review", level: review.level, topic: review.topic, title: "", box: 1, due: today });
  assert.deepEqual(await stored(page, "djguide:v2:scorecard"), scorecard);

  // Every page reads the new keys: the topic list, the question page, the scorecard.
  await page.goto(env.site.url("orm/"));
  assert.equal(await page.locator(".question-item").nth(0).locator(".status").innerText(), "Known");
  assert.equal(await page.locator(".question-item").nth(1).locator(".status").innerText(), "To review");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  await page.goto(env.site.url(known.url));
  assert.equal(await page.getByRole("button", { name: "I knew it" }).getAttribute("aria-pressed"), "true");
  await page.goto(env.site.url("questions/#scorecard"));
  assert.equal(await page.getByLabel("Candidate").inputValue(), "Grace Hopper");
  assert.equal(await page.locator(".sc-item").count(), 1);
  assert.equal(await page.locator(".sc-item").getByRole("radio", { name: /^3/ }).isChecked(), true);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("records already under the new keys win over leftovers under the old ones", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("orm/"));
  const url = await page.locator(".question-item").first().getAttribute("data-url");
  const current = { status: "known", level: "mid", topic: "orm", title: "Kept", box: 4, due: "2099-01-01" };
  await seedVersionOne(page, {
    "djguide:v2:theme": "light",
    "djguide:v2:progress": JSON.stringify({ [url]: current }),
    "djguide-theme": "dark",
    "djguide-progress": JSON.stringify({ [url]: { s: "review", l: "mid", t: "orm" }, "/gone/": { s: "bogus" } }),
  });
  await page.goto(env.site.url(""));
  assert.deepEqual(await storedKeys(page), ["djguide:v2:progress", "djguide:v2:theme"]);
  assert.deepEqual(await stored(page, "djguide:v2:progress"), { [url]: current }, "unknown statuses are dropped");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(page.problems, []);
  await page.close();
});
