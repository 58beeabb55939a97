// axe (WCAG 2.1 A and AA) on every page of the guide, in the light and the
// dark scheme from the system; page kinds also with the scheme as the
// reader's explicit choice; plus the states that only exist after
// interaction (search results, practice, scorecard).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { PAGE_KINDS, builtPages, launch, startSite } from "./lib.js";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}\n      ${n.failureSummary.replace(/\n/g, "\n      ")}`).join("\n"))
    .join("\n");
}

async function scan(page, label) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  assert.equal(result.violations.length, 0, `${label}:\n${describeViolations(result.violations)}`);
  assert.ok(result.passes.length > 10, `${label}: axe ran too few checks`);
}

let site;
before(async () => { site = await startSite(); });
after(() => site?.close());

for (const scheme of ["light", "dark"]) {
  describe(`axe, ${scheme} scheme from the system`, () => {
    let browser;
    before(async () => { browser = await launch({ colorScheme: scheme }); });
    after(() => browser?.close());

    // One browser page for all of them. Still about six minutes a scheme on a
    // 2-core machine: most of it is axe's colour-contrast check of every
    // highlighting span, so it shrinks with the highlighting markup.
    test("every page of the guide", async () => {
      const pages = builtPages(site.output);
      assert.ok(pages.length > 150, `only ${pages.length} pages`);
      const page = await browser.context.newPage();
      const started = Date.now();
      for (const path of pages) {
        await page.goto(site.url(path), { waitUntil: "load" });
        await scan(page, `/${path} (${scheme})`);
      }
      console.log(`# axe on ${pages.length} pages (${scheme}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await page.close();
    });

    for (const kind of ["search", "404"]) {
      test(`${kind} at ${PAGE_KINDS[kind]}`, async () => {
        const page = await browser.context.newPage();
        await page.goto(site.url(PAGE_KINDS[kind]), { waitUntil: "networkidle" });
        await scan(page, `${kind} (${scheme})`);
        await page.close();
      });
    }

    test("practice mode with the answer shown", async () => {
      const page = await browser.context.newPage();
      await page.goto(site.url("orm/"), { waitUntil: "networkidle" });
      await page.getByRole("button", { name: "Start practice" }).click();
      await page.getByRole("button", { name: "Show answer" }).click();
      await scan(page, `practice (${scheme})`);
      await page.close();
    });

    test("scorecard with a scored question, and progress marks", async () => {
      const page = await browser.context.newPage();
      await page.goto(site.url("questions/#scorecard"), { waitUntil: "networkidle" });
      await page.locator(".sc-pick").first().click();
      await page.locator(".sc-item input[type=radio][value='3']").first().check();
      await page.locator(".sc-item textarea").first().fill("Clear on the trade-offs.");
      await scan(page, `scorecard (${scheme})`);
      await page.evaluate(() => localStorage.clear());
      await page.close();
    });
  });
}

describe("axe, the reader's explicit choice overrides the system", () => {
  let browser;
  // The system says light, the reader chose dark: the data-theme="dark" rules apply.
  before(async () => { browser = await launch({ colorScheme: "light" }); });
  after(() => browser?.close());

  for (const kind of ["home", "question", "questions", "404"]) {
    test(`${kind}, dark by choice`, async () => {
      const page = await browser.context.newPage();
      await page.addInitScript(() => localStorage.setItem("djguide-theme", "dark"));
      await page.goto(site.url(PAGE_KINDS[kind]), { waitUntil: "networkidle" });
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
      await scan(page, `${kind} (dark by choice)`);
      await page.close();
    });
  }
});
