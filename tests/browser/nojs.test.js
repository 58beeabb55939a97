// Reading with JavaScript off: every page kind shows its content, controls
// that need JavaScript are not shown, code wraps instead of scrolling, and
// axe still finds nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { PAGE_KINDS, launch, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser({ javaScriptEnabled: false });

test("every page kind reads fine without JavaScript", async () => {
  const page = await env.browser.context.newPage();
  for (const [kind, path] of Object.entries(PAGE_KINDS)) {
    await page.goto(env.site.url(path));
    assert.ok(await page.locator("h1").isVisible(), `${kind}: h1`);
    assert.ok((await page.locator("main").innerText()).length > 100, `${kind}: content`);
    const shownControls = await page.locator(".needs-js, [data-practice], [data-scorecard]").evaluateAll((els) =>
      els.filter((el) => el.getClientRects().length > 0).map((el) => el.className));
    assert.deepEqual(shownControls, [], `${kind}: controls that need JavaScript are not shown`);
  }
  await page.close();
});

// axe itself needs JavaScript, so this scan serves every page with its
// scripts removed: the page renders exactly as it does with JavaScript off.
test("axe finds nothing on pages rendered without their scripts", async (t) => {
  const scanner = await launch();
  t.after(() => scanner.close());
  await scanner.context.route("**/*", async (route) => {
    const request = route.request();
    if (request.resourceType() === "script") return route.abort();
    if (request.resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    const body = (await response.text()).replace(/<script(?![^>]*application\/ld\+json)[^>]*>[\s\S]*?<\/script>/g, "");
    return route.fulfill({ response, body });
  });
  const page = await scanner.context.newPage();
  for (const [kind, path] of Object.entries(PAGE_KINDS)) {
    await page.goto(env.site.url(path));
    assert.equal(await page.evaluate(() => document.documentElement.className), "", `${kind}: no script ran`);
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), [], kind);
  }
});

test("a question page shows the whole answer, and code wraps instead of scrolling", async () => {
  const page = await env.browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(env.site.url(PAGE_KINDS.question));
  for (const selector of [".quick-answer", ".toc", ".answer h2", "figure.code", ".red-flag", ".follow-ups", ".related", ".pager"]) {
    assert.ok(await page.locator(selector).first().isVisible(), selector);
  }
  const overflowing = await page.locator("pre.code-block").evaluateAll((pres) => pres.filter((p) => p.scrollWidth > p.clientWidth + 1).length);
  assert.equal(overflowing, 0);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, "no sideways scrolling");
  await page.close();
});

test("topic and level pages list every question with its quick answer", async () => {
  const page = await env.browser.context.newPage();
  for (const path of [PAGE_KINDS.topic, PAGE_KINDS.level, PAGE_KINDS.questions]) {
    await page.goto(env.site.url(path));
    const items = page.locator(".question-item");
    assert.ok(await items.count() > 0);
    assert.equal(await page.locator(".question-item:visible").count(), await items.count(), path);
    assert.ok(await items.first().locator(".question-summary").isVisible(), path);
  }
  // Chromium's JavaScript switch does not render <noscript>; check it is there.
  await page.goto(env.site.url("search/?q=csrf"));
  assert.match(await page.locator("main noscript").innerHTML(), /Search needs JavaScript\. Browse <a href="[^"]+questions\/">all questions<\/a>/);
  await page.close();
});
