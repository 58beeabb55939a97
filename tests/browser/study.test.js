// Study that sticks: practice schedules reviews with Leitner boxes (intervals
// 0/1/3/7/16/35 days; "I knew it" moves a question up a box, "Review again"
// puts it back in box 1, due today), the home page shows what is due today,
// and practice answers to Space, 1 and 2, but not while the reader types.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser();

const DAY = 24 * 60 * 60 * 1000;
// Mid-morning, so a day's step never crosses a daylight-saving edge at midnight.
const START = new Date(2027, 2, 1, 10, 0, 0);
const dayString = (date) => date.toLocaleDateString("sv");
const progress = (page) => page.evaluate(() => JSON.parse(localStorage.getItem("djguide:v2:progress")) || {});
const practiceTitle = (page) => page.locator("[data-practice-question]").innerText();

/** A fresh profile whose clock reads `START`, so scheduling is checked against known dates. */
async function studyPage(t) {
  const browser = await launch();
  t.after(() => browser.close());
  const page = await strictPage(browser.context);
  await page.clock.setFixedTime(START);
  return page;
}

test("known comes back later, review comes back today, and later again each time it is known", async (t) => {
  const page = await studyPage(t);
  await page.goto(env.site.url("orm/"));
  const [first, second] = await page.locator(".question-item").evaluateAll((items) => items.slice(0, 2).map((item) => ({
    url: item.dataset.url, title: item.querySelector(".question-link").textContent.trim(),
  })));

  // Keys only: Space reveals, 1 knows, 2 asks again.
  await page.getByRole("button", { name: "Start practice" }).click();
  assert.equal(await practiceTitle(page), first.title);
  await page.keyboard.press("Space");
  assert.ok(await page.locator("[data-practice-answer]").isVisible());
  await page.keyboard.press("1");
  assert.equal(await practiceTitle(page), second.title);
  await page.keyboard.press("Space");
  await page.keyboard.press("2");
  await page.keyboard.press("Escape");

  await page.reload();
  let records = await progress(page);
  assert.deepEqual([records[first.url].box, records[first.url].due], [2, dayString(new Date(START.getTime() + DAY))]);
  assert.deepEqual([records[second.url].box, records[second.url].due], [1, dayString(START)]);

  // Today only the question to review is due; the home page says so and starts it.
  await page.goto(env.site.url(""));
  assert.equal(await page.locator("[data-due-count]").innerText(), "1 question due for review today.");
  await page.getByRole("link", { name: "Review what is due" }).click();
  await page.waitForURL(/\/questions\/#practice-due$/);
  assert.equal(await page.locator("[data-practice-count]").innerText(), "Question 1 of 1");
  assert.equal(await practiceTitle(page), second.title);
  await page.keyboard.press("Space");
  await page.keyboard.press("1");
  assert.equal(await page.locator("[data-practice-result]").innerText(), "You knew 1 of 1. Well done.");

  // Nothing is due until tomorrow.
  await page.goto(env.site.url(""));
  assert.equal(await page.locator("[data-due-count]").innerText(), "Nothing due for review today.");
  assert.equal(await page.getByRole("link", { name: "Review what is due" }).isVisible(), false);

  // Tomorrow both are due; knowing them again moves them to box 3 (3 days).
  await page.clock.setFixedTime(new Date(START.getTime() + DAY));
  await page.reload();
  assert.equal(await page.locator("[data-due-count]").innerText(), "2 questions due for review today.");
  await page.getByRole("link", { name: "Review what is due" }).click();
  await page.waitForURL(/#practice-due$/);
  assert.equal(await page.locator("[data-practice-count]").innerText(), "Question 1 of 2");
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press("Space");
    await page.keyboard.press("1");
  }
  records = await progress(page);
  const inThreeDays = dayString(new Date(START.getTime() + 4 * DAY));
  assert.deepEqual([records[first.url].box, records[first.url].due], [3, inThreeDays]);
  assert.deepEqual([records[second.url].box, records[second.url].due], [3, inThreeDays]);

  // The question page tells when it comes back; "Review again" there resets it to today.
  await page.goto(env.site.url(first.url));
  assert.equal(await page.locator("[data-self-check-status]").innerText(), "You marked this as known; it comes back for review in 3 days.");
  await page.getByRole("button", { name: "Review again" }).click();
  records = await progress(page);
  assert.deepEqual([records[first.url].status, records[first.url].box, records[first.url].due], ["review", 1, dayString(new Date(START.getTime() + DAY))]);
  assert.equal(await page.locator("[data-self-check-status]").innerText(), "You marked this to review again; it is due today.");
  assert.deepEqual(page.problems, []);
});

test("a round puts what is due first, then new questions, then the rest", async (t) => {
  const page = await studyPage(t);
  await page.goto(env.site.url("orm/"));
  const urls = await page.locator(".question-item").evaluateAll((items) => items.map((item) => item.dataset.url));
  const titles = await page.locator(".question-item .question-link").allInnerTexts();
  // The first question is known and not due for a week; the third is overdue.
  await page.evaluate(([notDue, overdue, today]) => localStorage.setItem("djguide:v2:progress", JSON.stringify({
    [notDue]: { status: "known", level: "mid", topic: "orm", title: "", box: 4, due: "2099-01-01" },
    [overdue]: { status: "known", level: "mid", topic: "orm", title: "", box: 2, due: today },
  })), [urls[0], urls[2], dayString(START)]);
  await page.reload();
  await page.getByRole("button", { name: "Start practice" }).click();
  const order = [];
  for (let i = 0; i < urls.length; i++) {
    order.push((await practiceTitle(page)).trim());
    await page.getByRole("button", { name: "Show answer" }).click();
    await page.getByRole("button", { name: "I knew it" }).click();
  }
  assert.deepEqual(order, [titles[2], titles[1], ...titles.slice(3), titles[0]].map((title) => title.trim()));
  assert.deepEqual(page.problems, []);
});

test("shortcuts are shown, and stay quiet while the reader types", async (t) => {
  const page = await studyPage(t);
  await page.goto(env.site.url("levels/junior/"));
  await page.getByRole("button", { name: "Start practice" }).click();
  const reveal = page.getByRole("button", { name: "Show answer" });
  assert.equal(await reveal.getAttribute("aria-keyshortcuts"), "Space");
  assert.equal(await reveal.locator("kbd").innerText(), "Space");
  assert.match(await page.locator("[data-practice-hint]").innerText(), /Space shows the answer, 1 I knew it, 2 review again/);

  // Typing in the search box: no reveal, no mark, the characters land in the box.
  const first = await practiceTitle(page);
  const search = page.locator("#search-input");
  await search.focus();
  await page.keyboard.type(" 1 2");
  assert.equal(await search.inputValue(), " 1 2");
  assert.equal(await page.locator("[data-practice-answer]").isVisible(), false);
  await search.fill("");

  // 1 and 2 do nothing until the answer is shown.
  await page.locator("[data-practice-question]").focus();
  await page.keyboard.press("1");
  assert.equal(await practiceTitle(page), first);
  await page.keyboard.press("Space");
  assert.equal(await page.getByRole("button", { name: "I knew it" }).locator("kbd").innerText(), "1");
  assert.equal(await page.getByRole("button", { name: "Review again" }).locator("kbd").innerText(), "2");
  // With a modifier the key is the browser's, not practice's.
  await page.keyboard.press("Control+2");
  assert.equal(await practiceTitle(page), first);
  await page.keyboard.press("2");
  assert.notEqual(await practiceTitle(page), first);
  assert.equal(Object.values(await progress(page))[0].status, "review");
  assert.deepEqual(page.problems, []);
});

test("on a touch screen the key hints are hidden", async (t) => {
  const browser = await launch({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  t.after(() => browser.close());
  const page = await strictPage(browser.context);
  await page.goto(env.site.url("levels/junior/"));
  await page.getByRole("button", { name: "Start practice" }).click();
  assert.ok(await page.getByRole("button", { name: "Show answer" }).isVisible());
  assert.equal(await page.locator(".practice .key-hint").first().isVisible(), false);
  assert.equal(await page.locator(".key-hint-text").isVisible(), false);
  assert.deepEqual(page.problems, []);
});
