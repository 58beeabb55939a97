// Dark mode: follows prefers-color-scheme until the reader chooses; the
// choice persists across pages and reloads, and is applied before the first
// paint (no flash of the wrong theme).
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

test("the system scheme applies until the reader chooses, then the choice sticks", async (t) => {
  const browser = await launch({ colorScheme: "dark" });
  t.after(() => browser.close());
  const page = await strictPage(browser.context);
  await page.addInitScript(recordTheme);
  await page.goto(site.url(""));
  const toggle = page.getByRole("button", { name: "Dark mode" });
  assert.deepEqual(await recorded(page), [], "no attribute until the reader chooses");
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  const dark = await background(page);
  assert.notEqual(dark, LIGHT);

  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  assert.equal(await background(page), LIGHT);
  assert.equal(await page.evaluate(() => localStorage.getItem("djguide-theme")), "light");

  // Reload and another page: light from before the first paint, never flipped.
  for (const path of ["", "orm/n-plus-one/"]) {
    await page.goto(site.url(path));
    assert.deepEqual(await recorded(page), [{ value: "light", beforePaint: true }], `${path}: set once, before the first paint`);
    assert.equal(await background(page), LIGHT);
    assert.equal(await page.getByRole("button", { name: "Dark mode" }).getAttribute("aria-pressed"), "false");
  }

  // Choose dark again.
  await page.getByRole("button", { name: "Dark mode" }).click();
  await page.reload();
  assert.deepEqual(await recorded(page), [{ value: "dark", beforePaint: true }]);
  assert.equal(await background(page), dark);
  assert.deepEqual(page.problems, []);
});

test("a dark choice wins over a light system, with no flash", async (t) => {
  const browser = await launch({ colorScheme: "light" });
  t.after(() => browser.close());
  const page = await strictPage(browser.context);
  await page.addInitScript(recordTheme);
  await page.goto(site.url("questions/"));
  assert.equal(await background(page), LIGHT);
  await page.getByRole("button", { name: "Dark mode" }).click();
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
