// "On this page": the entry of the section being read is marked
// (aria-current="location") after a jump to an anchor, after a fast scroll,
// and at the end of the page; the red flag and the follow-ups are listed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser();

// A long answer in steps, with a red flag and follow-ups.
const PAGE = "scenarios/task-queue-backlog/";

const marked = (page) => page.locator('.toc a[aria-current="location"]').evaluateAll((links) => links.map((a) => a.hash));
/** Resolves when the page has not scrolled for a few frames (smooth scrolling has finished). */
const scrollSettled = (page) => page.evaluate(() => new Promise((done) => {
  let last = scrollY;
  let still = 0;
  const check = () => {
    still = scrollY === last ? still + 1 : 0;
    last = scrollY;
    if (still >= 5) done(); else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}));
/** The marked entries once the page has painted the current scroll position. */
const markedAfterPaint = async (page) => {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return marked(page);
};

test("the outline lists the red flag and the follow-ups after the answer's headings", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(PAGE));
  const entries = await page.locator(".toc a").evaluateAll((links) => links.map((a) => [a.hash, a.textContent]));
  assert.deepEqual(entries.slice(-2), [["#red-flag-title", "Red flag"], ["#follow-ups-title", "Follow-up questions"]]);
  for (const [hash] of entries) assert.equal(await page.locator(hash).count(), 1, `${hash} exists`);
  await page.close();
});

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`at ${viewport.width} px, opening a deep anchor marks that section`, async () => {
    const page = await strictPage(env.browser.context);
    await page.setViewportSize(viewport);
    // Near the end the page cannot scroll far enough to bring a heading to the
    // top: the heading jumped to is marked all the same.
    for (const hash of ["#step-4-fix-the-consumer", "#step-2-find-where-the-jobs-come-from", "#preventing-the-next-one", "#red-flag-title", "#follow-ups-title"]) {
      await page.goto(env.site.url(PAGE + hash));
      await page.waitForLoadState("load");
      assert.deepEqual(await markedAfterPaint(page), [hash], `opened ${hash}`);
      await scrollSettled(page);
      const top = await page.locator(hash).evaluate((heading) => heading.getBoundingClientRect().top);
      assert.ok(top >= 0 && top < viewport.height, `${hash} is on screen (${top})`);
      assert.deepEqual(await markedAfterPaint(page), [hash], `${hash}, once the page has scrolled to it`);
    }
    // A jump inside the page, from an outline link.
    await page.goto(env.site.url(PAGE));
    await page.locator('.toc a[href="#step-3-fix-the-producer"]').click();
    assert.deepEqual(await markedAfterPaint(page), ["#step-3-fix-the-producer"]);
    await scrollSettled(page);
    assert.deepEqual(await markedAfterPaint(page), ["#step-3-fix-the-producer"]);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

test("a fast scroll to the end marks the last section, and back to the top the first", async () => {
  const page = await strictPage(env.browser.context);
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(env.site.url(PAGE));
  const hashes = await page.locator(".toc a").evaluateAll((links) => links.map((a) => a.hash));
  assert.deepEqual(await markedAfterPaint(page), [hashes[0]]);

  // One jump of the whole page, as a flick or the End key does.
  await page.mouse.move(400, 400);
  await page.mouse.wheel(0, 100000);
  await page.waitForFunction(() => innerHeight + scrollY >= document.documentElement.scrollHeight - 2);
  assert.deepEqual(await markedAfterPaint(page), [hashes.at(-1)]);

  await page.keyboard.press("Home");
  await page.waitForFunction(() => scrollY === 0);
  assert.deepEqual(await markedAfterPaint(page), [hashes[0]]);

  // Scrolling by hand after a jump hands the mark back to the scroll position.
  await page.locator('.toc a[href="#step-4-fix-the-consumer"]').click();
  await scrollSettled(page);
  assert.deepEqual(await markedAfterPaint(page), ["#step-4-fix-the-consumer"]);
  const stepFiveTop = await page.locator("#step-5-recover-the-backlog").evaluate((h) => h.getBoundingClientRect().top);
  await page.mouse.wheel(0, stepFiveTop - 100);
  await scrollSettled(page);
  assert.ok(await page.locator("#step-5-recover-the-backlog").evaluate((h) => h.getBoundingClientRect().top < 300));
  assert.deepEqual(await markedAfterPaint(page), ["#step-5-recover-the-backlog"]);
  assert.deepEqual(page.problems, []);
  await page.close();
});
