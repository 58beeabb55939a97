// Practice mode: the answer stays hidden until asked, "I knew it" and
// "Review again" are remembered across reloads and shown on the home, level
// and topic pages, the next round starts with what to review, and reset works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser();

const progressText = (page, selector = "[data-practice-bar] .progress-text") => page.locator(selector).innerText();

test("practise a topic: hide, reveal, mark, and keep the progress across reloads", async () => {
  const page = await strictPage(env.browser.context);
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto(env.site.url("orm/"));
  const items = page.locator("[data-practice-list] .question-item");
  const total = await items.count();
  const [first, second] = await items.evaluateAll((lis) => lis.slice(0, 2).map((li) => ({
    url: li.dataset.url, level: li.dataset.level,
    title: li.querySelector(".question-link").textContent.trim(),
    summary: li.querySelector(".question-summary").textContent.trim(),
  })));
  assert.equal(await progressText(page), `0 of ${total} known · 0 to review`);

  await page.getByRole("button", { name: "Start practice" }).click();
  const practice = page.locator("[data-practice]");
  assert.ok(await practice.isVisible());
  assert.equal(await page.locator(".list-layout").isVisible(), false, "the list (and its answers) is hidden while practising");
  assert.equal(await practice.locator("[data-practice-question]").innerText(), first.title);
  assert.equal(await practice.locator("[data-practice-count]").innerText(), `Question 1 of ${total}`);
  assert.equal(await practice.locator("[data-practice-answer]").isVisible(), false, "the answer is hidden until asked");
  assert.equal(await page.getByText(first.summary).first().isVisible(), false, "and not visible anywhere on the page");
  assert.equal(await page.getByText(first.summary).last().isVisible(), false);
  assert.equal(await page.getByRole("button", { name: "I knew it" }).isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.matches("[data-practice-question]")), true);

  await page.getByRole("button", { name: "Show answer" }).click();
  assert.ok(await practice.getByText(first.summary).isVisible());
  assert.equal(await practice.getByRole("link", { name: "Read the full answer" }).getAttribute("href"), first.url);
  await page.getByRole("button", { name: "I knew it" }).click();

  assert.equal(await practice.locator("[data-practice-question]").innerText(), second.title);
  await page.getByRole("button", { name: "Show answer" }).click();
  await page.getByRole("button", { name: "Review again" }).click();
  await page.getByRole("button", { name: "End practice" }).click();
  assert.ok(await page.locator(".list-layout").isVisible());

  await page.reload();
  assert.equal(await progressText(page), `1 of ${total} known · 1 to review`);
  assert.equal(await items.nth(0).locator(".status").innerText(), "Known");
  assert.equal(await items.nth(1).locator(".status").innerText(), "To review");

  // The next round starts with the question to review.
  await page.getByRole("button", { name: "Start practice" }).click();
  assert.equal(await practice.locator("[data-practice-question]").innerText(), second.title);
  await page.keyboard.press("Escape");
  assert.equal(await practice.isVisible(), false);

  // Home shows it on the topic's card, the level's card and overall.
  await page.goto(env.site.url(""));
  const topicCard = page.locator(".topic-card").filter({ has: page.locator('a[href$="/orm/"]') });
  assert.equal(await topicCard.locator(".progress-text").innerText(), "1 known · 1 review");
  const overall = await page.locator(".your-practice [data-total-text]").innerText();
  assert.equal(await progressText(page, ".your-practice .progress-text"), `1 of ${overall} known · 1 to review`);
  const levelCard = page.locator(`.level-card.level-${first.level}`);
  assert.match(await levelCard.locator(".progress-text").innerText(), /^1 known/);

  // The level page counts it too, and the question page knows it.
  await page.goto(env.site.url(`levels/${first.level}/`));
  assert.match(await progressText(page), /^1 of \d+ known/);
  await page.goto(first.url.startsWith("http") ? first.url : env.site.url(first.url));
  assert.equal(await page.getByRole("button", { name: "I knew it" }).getAttribute("aria-pressed"), "true");
  assert.equal(await page.locator("[data-self-check-status]").innerText(), "You marked this as known; it comes back for review tomorrow.");
  // Unmark it from the question page.
  await page.getByRole("button", { name: "I knew it" }).click();
  assert.equal(await page.getByRole("button", { name: "I knew it" }).getAttribute("aria-pressed"), "false");

  // Reset from the topic page clears the rest.
  await page.goto(env.site.url("orm/"));
  assert.equal(await progressText(page), `0 of ${total} known · 1 to review`);
  await page.getByRole("button", { name: "Reset progress" }).click();
  assert.equal(await progressText(page), `0 of ${total} known · 0 to review`);
  await page.reload();
  assert.equal(await progressText(page), `0 of ${total} known · 0 to review`);
  assert.equal(await page.locator(".question-item .status").count(), 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a round ends with a summary and offers the questions to review", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("questions/?level=senior&topic=orm"));
  const count = await page.locator(".question-item:visible").count();
  assert.ok(count >= 2);
  await page.getByRole("button", { name: "Start practice" }).click();
  for (let i = 0; i < count; i++) {
    await page.getByRole("button", { name: "Show answer" }).click();
    await page.getByRole("button", { name: i === 0 ? "Review again" : "I knew it" }).click();
  }
  const done = page.locator("[data-practice-done]");
  assert.ok(await done.isVisible());
  assert.equal(await done.locator("[data-practice-result]").innerText(), `You knew ${count - 1} of ${count}; 1 question to review again.`);
  await done.getByRole("button", { name: "Practise the ones to review" }).click();
  assert.equal(await page.locator("[data-practice-count]").innerText(), "Question 1 of 1");
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the home page's practice link starts practice on the hub", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(""));
  await page.locator(".hero").getByRole("link", { name: "Start practice" }).click();
  await page.waitForURL(/\/questions\/#practice$/);
  assert.ok(await page.locator("[data-practice]").isVisible());
  assert.match(await page.locator("[data-practice-count]").innerText(), /^Question 1 of \d+$/);
  await page.close();
});
