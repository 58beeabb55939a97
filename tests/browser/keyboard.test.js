// The keyboard path: skip link first, a sensible focus order, a visible
// focus ring, "/" to search, and practice mode without a mouse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser();

// A short description of the focused element, and whether its focus is drawn.
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const visibleText = (node) => [...node.childNodes].map((c) => c.nodeType === 3 ? c.textContent
    : c.nodeType === 1 && c.getAttribute("aria-hidden") !== "true" ? visibleText(c) : "").join("");
  const label = el.getAttribute("aria-label") || (el.tagName === "INPUT" ? el.id : visibleText(el).trim().replace(/\s+/g, " "));
  return {
    tag: el.tagName.toLowerCase(), label, id: el.id,
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    inViewport: (() => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.width > 0; })(),
  };
});

test("skip link, header in order, then the page; focus is always visible", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("orm/n-plus-one/"));
  const order = [];
  for (let i = 0; i < 11; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    assert.ok(f.ring, `focus ring on ${f.label}`);
    assert.ok(f.inViewport, `${f.label} is on screen when focused`);
    order.push(f.label);
  }
  assert.deepEqual(order, [
    "Skip to content", "Django Interview Guide", "Junior", "Mid", "Senior", "All questions",
    "search-input", "Theme: match system (now light)", "Home", "ORM and databases", "Mid",
  ]);

  // The skip link moves focus to <main>; the next Tab is the first thing in it.
  await page.reload();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.equal((await focused(page)).id, "main");
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).label, "Home");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the table of contents and heading permalinks work from the keyboard", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("orm/n-plus-one/"));
  const link = page.locator(".toc a").nth(2);
  const href = await link.getAttribute("href");
  await link.focus();
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.hash === href);
  const anchor = page.locator(`${href} .heading-anchor`);
  await anchor.focus();
  // A focused permalink fades in fully.
  await anchor.evaluate((a) => new Promise((done) => {
    const check = () => (getComputedStyle(a).opacity === "1" ? done() : requestAnimationFrame(check));
    setTimeout(check, 50);
  }));
  await page.close();
});

test('"/" focuses the search box, but not while typing', async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("questions/"));
  await page.keyboard.press("/");
  assert.equal((await focused(page)).id, "search-input");
  assert.equal(await page.locator("#search-input").inputValue(), "");
  await page.getByLabel("Topic").focus();
  await page.locator("#search-input").fill("");
  await page.locator("#search-input").press("/");
  assert.equal(await page.locator("#search-input").inputValue(), "/");
  await page.close();
});

test('the search box offers "press /" only where there is a keyboard', async (t) => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url(""));
  assert.equal(await page.locator("#search-input").getAttribute("placeholder"), "Search (press /)");
  await page.close();
  const phone = await launch({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  t.after(() => phone.close());
  const touchPage = await strictPage(phone.context);
  await touchPage.goto(env.site.url(""));
  assert.equal(await touchPage.locator("#search-input").getAttribute("placeholder"), "Search");
  assert.deepEqual(touchPage.problems, []);
});

test("practice mode works with the keyboard alone", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("levels/junior/"));
  await page.getByRole("button", { name: "Start practice" }).focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.matches("[data-practice-question]")), true);
  const first = await page.locator("[data-practice-question]").innerText();
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).label, "Show answer");
  await page.keyboard.press("Enter");
  assert.equal((await focused(page)).label, "I knew it");
  await page.keyboard.press("Enter");
  assert.notEqual(await page.locator("[data-practice-question]").innerText(), first);
  assert.equal(await page.evaluate(() => document.activeElement.matches("[data-practice-question]")), true);
  await page.keyboard.press("Escape");
  assert.equal((await focused(page)).label, "Start practice");
  await page.evaluate(() => localStorage.clear());
  await page.close();
});
