// Print djguide's top results for queries on a built site, for tuning:
// node tools/search-probe.mjs --site DIR "query one" "query two" ...
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { serve } from "./static-server.mjs";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const argv = process.argv.slice(2);
const site = argv[argv.indexOf("--site") + 1];
const queries = argv.filter((a, i) => a !== "--site" && argv[i - 1] !== "--site");
const server = await serve(site);
const context = await chromium.launchPersistentContext(mkdtempSync("/tmp/djguide-probe-"), {
  executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const page = context.pages()[0] || await context.newPage();
await page.goto(server.url);
await page.focus("#search-input");
await page.waitForFunction(() => window.djguideSearch);
const out = await page.evaluate(async (list) => {
  const rows = await (await fetch(document.body.dataset.basePath + "search/t/0.json")).json();
  const lines = [];
  for (const q of list) {
    const results = (await window.djguideSearch(q)).slice(0, 5);
    lines.push(`${q}\n` + results.map((r) => `   ${r.tier} ${r.score.toFixed(0).padStart(6)} ${rows[r.doc][0]}  [${r.terms.slice(0, 6).join(" ")}]`).join("\n"));
  }
  return lines.join("\n");
}, queries);
console.log(out);
await context.close();
await server.close();
