// Lighthouse (mobile, simulated throttling) on the home page and a question
// page: performance, accessibility, best practices and SEO must each be at
// least 98. The scores are printed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, PAGE_KINDS, startSite } from "./lib.js";

const MINIMUM = 0.98;
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const LIGHTHOUSE = join(dirname(fileURLToPath(import.meta.url)), "node_modules/.bin/lighthouse");

let site;
before(async () => { site = await startSite(); });
after(() => site?.close());

// Asynchronous: the static server answering Lighthouse runs in this process.
async function lighthouse(url) {
  const dir = mkdtempSync(join(tmpdir(), "djguide-lighthouse-"));
  try {
    const report = join(dir, "report.json");
    const child = spawn(LIGHTHOUSE, [
      url,
      `--only-categories=${CATEGORIES.join(",")}`,
      `--chrome-flags=--headless --no-sandbox --disable-gpu --user-data-dir=${join(dir, "profile")}`,
      "--output=json", `--output-path=${report}`, "--quiet",
    ], { env: { ...process.env, CHROME_PATH: CHROMIUM }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    const status = await new Promise((done) => child.on("close", done));
    assert.equal(status, 0, `lighthouse failed:\n${stderr}`);
    return JSON.parse(readFileSync(report, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const kind of ["home", "question"]) {
  test(`Lighthouse, ${kind} page`, async () => {
    const report = await lighthouse(site.url(PAGE_KINDS[kind]));
    assert.equal(report.runtimeError, undefined, JSON.stringify(report.runtimeError));
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, report.categories[c].score]));
    const line = CATEGORIES.map((c) => `${c} ${Math.round(scores[c] * 100)}`).join(", ");
    console.log(`  Lighthouse ${kind} (${PAGE_KINDS[kind] || "/"}): ${line}`);
    const audits = report.audits;
    console.log(`    FCP ${audits["first-contentful-paint"].displayValue}, LCP ${audits["largest-contentful-paint"].displayValue}, TBT ${audits["total-blocking-time"].displayValue}, CLS ${audits["cumulative-layout-shift"].displayValue}`);
    const failing = Object.values(report.categories)
      .flatMap((category) => category.auditRefs)
      .filter((ref) => ref.weight > 0 && audits[ref.id].score !== null && audits[ref.id].score < 1)
      .map((ref) => `${ref.id}: ${audits[ref.id].title} (${audits[ref.id].displayValue ?? audits[ref.id].score})`);
    if (failing.length) console.log(`    not perfect: ${failing.join("; ")}`);
    for (const category of CATEGORIES) {
      assert.ok(scores[category] >= MINIMUM, `${kind}: ${category} ${scores[category]} < ${MINIMUM}\n${failing.join("\n")}`);
    }
  });
}
