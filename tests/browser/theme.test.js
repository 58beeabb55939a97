// Theme: three choices (match the system, light, dark). It follows
// prefers-color-scheme until the reader chooses; the choice persists across
// pages and reloads, is applied before the first paint (no flash of the wrong
// theme), and the reader can go back to following the system.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, startSite, strictPage } from "./lib.js";

let site;
before(async () => { site = await startSite(); });
after(() => site?.close());

// Runs before any page script: records every change of data-theme, and
// whether the body or the stylesheet existed yet when it happened. A value set
// before either exists cannot flash: nothing styled has been painted.
function recordTheme() {
  window.__theme = [];
  new MutationObserver(() => window.__theme.push({
    value: document.documentElement.dataset.theme ?? null,
    beforePaint: !document.body && !document.querySelector('link[rel="stylesheet"]'),
  })).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-theme"] });
}
const recorded = (page) => page.evaluate(() => window.__theme);
const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT = "rgb(255, 255, 255)";

const themeButton = (page) => page.getByRole("button", { name: /^Theme: / });
const themeName = (page) => themeButton(page).evaluate((button) => button.textContent.trim());
const storedTheme = (page) => page.evaluate(() => localStorage.getItem("djguide:v2:theme"));

test("three choices: the system scheme until the reader chooses, the choice sticks, and back to the system", async (t) => {
  const browser = await launch({ colorScheme: "dark" });
  t.after(() => browser.close());
  const page = await strictPage(browser.context);
  await page.addInitScript(recordTheme);
  await page.goto(site.url(""));
  assert.deepEqual(await recorded(page), [], "no attribute until the reader chooses");
  assert.equal(await themeName(page), "Theme: match system (now dark)");
  assert.equal(await themeButton(page).getAttribute("data-choice"), "system");
  const dark = await background(page);
  assert.notEqual(dark, LIGHT);

  // The first click always changes what the reader sees: the opposite of the system.
  await themeButton(page).click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
  assert.equal(await themeName(page), "Theme: light");
  assert.equal(await background(page), LIGHT);
  assert.equal(await storedTheme(page), "light");

  // Reload and another page: light from before the first paint, never flipped.
  for (const path of ["", "orm/n-plus-one/"]) {
    await page.goto(site.url(path));
    assert.deepEqual(await recorded(page), [{ value: "light", beforePaint: true }], `${path}: set once, before the first paint`);
    assert.equal(await background(page), LIGHT);
    assert.equal(await themeName(page), "Theme: light");
  }

  // Then dark, always, even if the system changes.
  await themeButton(page).click();
  assert.equal(await themeName(page), "Theme: dark");
  await page.reload();
  assert.deepEqual(await recorded(page), [{ value: "dark", beforePaint: true }]);
  assert.equal(await background(page), dark);
  await page.emulateMedia({ colorScheme: "light" });
  assert.equal(await background(page), dark);
  await page.emulateMedia({ colorScheme: "dark" });

  // Then back to following the system: nothing stored, nothing set.
  await themeButton(page).click();
  assert.equal(await themeName(page), "Theme: match system (now dark)");
  assert.equal(await storedTheme(page), null);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
  await page.reload();
  assert.deepEqual(await recorded(page), []);
  assert.equal(await background(page), dark);
  // Following the system means following its changes too.
  await page.emulateMedia({ colorScheme: "light" });
  assert.equal(await background(page), LIGHT);
  assert.equal(await themeName(page), "Theme: match system (now light)");
  assert.deepEqual(page.problems, []);
});

test("a dark choice wins over a light system, with no flash", async (t) => {
  const browser = await launch({ colorScheme: "light" });
  t.after(() => browser.close());
  const page = await strictPage(browser.context);
  await page.addInitScript(recordTheme);
  await page.goto(site.url("questions/"));
  assert.equal(await background(page), LIGHT);
  await themeButton(page).click();
  assert.equal(await themeName(page), "Theme: dark");
  await page.goto(site.url("orm/"));
  assert.deepEqual(await recorded(page), [{ value: "dark", beforePaint: true }]);
  assert.notEqual(await background(page), LIGHT);
  // The highlighting CSS follows the same attribute.
  await page.goto(site.url("orm/n-plus-one/"));
  const codeBackground = await page.locator("pre.hl-code").first().evaluate((pre) => getComputedStyle(pre).backgroundColor);
  assert.notEqual(codeBackground, LIGHT);
});

test("without JavaScript the system scheme still applies and no toggle is shown", async (t) => {
  const browser = await launch({ colorScheme: "dark", javaScriptEnabled: false });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await page.goto(site.url(""));
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), LIGHT);
  assert.equal(await page.locator(".theme-toggle").isVisible(), false);
});
