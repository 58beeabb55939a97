// axe (WCAG 2.1 A and AA) on every page kind, in the light and the dark
// scheme, both as the system preference and as the reader's explicit choice,
// plus the states that only exist after interaction (practice, scorecard).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { PAGE_KINDS, launch, startSite } from "./lib.js";

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

// Question pages that show each kind of rich content (highlighted and
// numbered lines, diffs, every callout, tables, output), so their colours
// are checked too. Found in the build, so the test follows the content.
function richPages() {
  const features = ['class="line hl"', "linenos", 'data-lang="diff"', 'data-lang="output"', "<table",
    "callout-note", "callout-tip", "callout-important", "callout-warning", "callout-caution"];
  const pages = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === "index.html") {
        const html = readFileSync(path, "utf8");
        if (!html.includes('data-page-kind="question"')) continue;
        for (let i = features.length - 1; i >= 0; i--) {
          if (html.includes(features[i])) {
            pages.add(relative(site.output, dirname(path)).split(sep).join("/") + "/");
            features.splice(i, 1);
          }
        }
      }
    }
  };
  walk(site.output);
  return [...pages].sort();
}

for (const scheme of ["light", "dark"]) {
  describe(`axe, ${scheme} scheme from the system`, () => {
    let browser;
    before(async () => { browser = await launch({ colorScheme: scheme }); });
    after(() => browser?.close());

    for (const [kind, path] of Object.entries(PAGE_KINDS)) {
      test(kind, async () => {
        const page = await browser.context.newPage();
        await page.goto(site.url(path), { waitUntil: "networkidle" });
        await scan(page, `${kind} (${scheme})`);
        await page.close();
      });
    }

    test("rich question pages (code, callouts, tables)", async () => {
      const page = await browser.context.newPage();
      const pages = richPages();
      assert.ok(pages.length >= 3, `rich pages found: ${pages}`);
      for (const path of pages) {
        await page.goto(site.url(path), { waitUntil: "networkidle" });
        await scan(page, `${path} (${scheme})`);
      }
      await page.close();
    });

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
