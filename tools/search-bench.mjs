// Search benchmark: djguide's index and client against Pagefind on the same
// built site. Reports index bytes on disk, bytes transferred (gzip, as a
// static host serves them) and time for a first query from a loaded page,
// per-keystroke latency once the index is warm, and ranking on a query set.
//
// node tools/search-bench.mjs --site DIR [--queries bench/search-queries.json] [--label NAME]
// DIR is a site built by djguide; Pagefind indexes the same HTML into DIR/pagefind.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { serve } from "./static-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const site = args.site;
const label = args.label || site;
const queries = args.queries ? JSON.parse(readFileSync(args.queries, "utf8")) : null;
const firstQuery = args["first-query"] || "select_related";

function folderBytes(folder, skip = () => false) {
  let total = 0, gz = 0, files = 0;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (skip(path)) continue;
    const info = statSync(path);
    if (info.isDirectory()) { const sub = folderBytes(path, skip); total += sub.total; gz += sub.gz; files += sub.files; }
    else { total += info.size; gz += gzipSync(readFileSync(path)).length; files += 1; }
  }
  return { total, gz, files };
}
const kb = (bytes) => (bytes / 1024).toFixed(1) + " KB";
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// 1. Pagefind over the same output.
// The platform package ships the binary itself (the `pagefind` wrapper package
// lists optional binaries for every platform, which breaks `npm ci` here).
const pagefindBin = join(here, "node_modules", "@pagefind", "linux-x64", "bin", "pagefind_extended");
const started = performance.now();
execFileSync(pagefindBin, ["--site", site, "--output-subdir", "pagefind", "--quiet"], { stdio: "inherit" });
const pagefindSeconds = (performance.now() - started) / 1000;

const ours = folderBytes(join(site, "search"), (p) => p.endsWith("index.html"));
const theirs = folderBytes(join(site, "pagefind"));

// 2. Browser measurements.
const server = await serve(site);
const context = await chromium.launchPersistentContext(mkdtempSync("/tmp/djguide-bench-"), {
  executablePath: "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
const page = context.pages()[0] || await context.newPage();
// Count what the search engines download (the page itself, CSS and the theme
// script are the same for both). Context-level events also see worker fetches.
let counting = false, transferred = 0, requests = 0;
context.on("requestfinished", async (request) => {
  if (!counting || !/\/(search\/|pagefind\/|assets\/search\.)/.test(request.url())) return;
  const sizes = await request.sizes();
  transferred += sizes.responseBodySize;
  requests++;
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

async function firstQueryOurs(query) {
  await page.goto(server.url);
  transferred = 0; requests = 0; counting = true;
  const t = await page.evaluate(async (q) => {
    const t0 = performance.now();
    const input = document.getElementById("search-input");
    input.focus();
    input.value = q;
    input.dispatchEvent(new Event("input"));
    await new Promise((resolve) => {
      const check = () => {
        if (document.querySelector(".search-option")) return resolve();
        if (window.djguideSearch && !input.dataset.kicked) { input.dataset.kicked = "1"; input.dispatchEvent(new Event("input")); }
        setTimeout(check, 2);
      };
      check();
    });
    return performance.now() - t0;
  }, query);
  await settle();
  counting = false;
  // The client itself (search.js) loads on focus, so it is counted too.
  return { ms: t, bytes: transferred, requests };
}
async function firstQueryPagefind(query) {
  await page.goto(server.url);
  transferred = 0; requests = 0; counting = true;
  const t = await page.evaluate(async (q) => {
    const t0 = performance.now();
    const pagefind = await import("/pagefind/pagefind.js");
    const search = await pagefind.search(q);
    await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
    return performance.now() - t0;
  }, query);
  await settle();
  counting = false;
  return { ms: t, bytes: transferred, requests };
}

const oursFirst = await firstQueryOurs(firstQuery);
const theirsFirst = await firstQueryPagefind(firstQuery);

// Keystroke latency with a warm index: every prefix of a few queries.
await page.goto(server.url);
await page.focus("#search-input");
await page.waitForFunction(() => window.djguideSearch);
const keystrokes = await page.evaluate(async (list) => {
  const times = [];
  for (const q of list) await window.djguideSearch(q); // warm the shards
  for (const q of list) {
    for (let i = 1; i <= q.length; i++) {
      const t0 = performance.now();
      await window.djguideSearch(q.slice(0, i));
      times.push(performance.now() - t0);
    }
  }
  return times;
}, ["select_related", "prefetch", "csrf token", "migrations", "middleware order"]);

// Ranking on the query set, for both engines: the expected page at rank 1
// (top-1), in the first three (top-3), and the mean reciprocal rank over the
// first ten (MRR), overall and per kind of query.
const DEPTH = 10;
let ranking = null;
if (queries) {
  const topOurs = await page.evaluate(async ({ list, depth }) => {
    const base = document.body.dataset.basePath;
    const urlOf = {};
    const out = [];
    for (const { q } of list) {
      const results = (await window.djguideSearch(q)).slice(0, depth);
      const urls = [];
      for (const r of results) {
        if (!(r.doc in urlOf)) {
          const meta = await (await fetch(base + "search/meta.json")).json();
          const file = Math.floor(r.doc / meta.titles_per_file);
          const rows = await (await fetch(base + "search/t/" + file + ".json")).json();
          urlOf[r.doc] = rows[r.doc - file * meta.titles_per_file][0];
        }
        urls.push(urlOf[r.doc]);
      }
      out.push(urls);
    }
    return out;
  }, { list: queries, depth: DEPTH });
  const topTheirs = await page.evaluate(async ({ list, depth }) => {
    const pagefind = await import("/pagefind/pagefind.js");
    const out = [];
    for (const { q } of list) {
      const search = await pagefind.search(q);
      out.push(await Promise.all(search.results.slice(0, depth).map(async (r) => (await r.data()).url)));
    }
    return out;
  }, { list: queries, depth: DEPTH });
  // `expect` is the page the query was written for; `also` lists pages added
  // later that answer it as directly (the CSP page for "CSP"). The rank is
  // that of the first accepted page.
  const rankOf = (urls, query) => {
    const accepted = [query.expect, ...(query.also || [])];
    return urls.findIndex((u) => accepted.includes(u.replace(/index\.html$/, ""))) + 1;
  };
  const score = (tops, subset) => {
    const ranks = subset.map((i) => rankOf(tops[i], queries[i]));
    const n = ranks.length || 1;
    return { n: ranks.length, top1: ranks.filter((r) => r === 1).length / n, top3: ranks.filter((r) => r >= 1 && r <= 3).length / n,
      mrr: ranks.reduce((sum, r) => sum + (r ? 1 / r : 0), 0) / n };
  };
  const everything = queries.map((_, i) => i);
  const kinds = [...new Set(queries.map((q) => q.kind).filter(Boolean))];
  ranking = { all: [score(topOurs, everything), score(topTheirs, everything)],
    kinds: kinds.map((kind) => { const subset = everything.filter((i) => queries[i].kind === kind); return [kind, score(topOurs, subset), score(topTheirs, subset)]; }),
    misses: everything.filter((i) => rankOf(topOurs[i], queries[i]) !== 1)
      .map((i) => `${queries[i].q} (${rankOf(topOurs[i], queries[i]) || "-"})`) };
}
await context.close();
await server.close();

const row = (name, a, b) => console.log(`${name.padEnd(34)}${String(a).padStart(16)}${String(b).padStart(16)}`);
console.log(`\nsearch benchmark: ${label}`);
row("", "djguide", "Pagefind 1.6");
row("index on disk (files)", `${kb(ours.total)} (${ours.files})`, `${kb(theirs.total)} (${theirs.files})`);
row("first query transfer (gzip)", kb(oursFirst.bytes), kb(theirsFirst.bytes));
row("first query requests", oursFirst.requests, theirsFirst.requests);
row("first query time, loaded page", oursFirst.ms.toFixed(0) + " ms", theirsFirst.ms.toFixed(0) + " ms");
row("indexing time", "(in build)", pagefindSeconds.toFixed(2) + " s");
console.log(`transfer ratio djguide/Pagefind: ${(oursFirst.bytes / theirsFirst.bytes).toFixed(2)}`);
console.log(`keystroke latency, warm index: median ${median(keystrokes).toFixed(2)} ms, max ${Math.max(...keystrokes).toFixed(2)} ms over ${keystrokes.length} keystrokes`);
if (ranking) {
  const fmt = (x) => x.toFixed(2);
  console.log(`\nranking over ${ranking.all[0].n} queries     top-1 (djguide / Pagefind)  top-3 (djguide / Pagefind)  MRR@${DEPTH} (djguide / Pagefind)`);
  const line = (name, a, b) => console.log(`  ${name.padEnd(24)}${(fmt(a.top1) + " / " + fmt(b.top1)).padStart(20)}${(fmt(a.top3) + " / " + fmt(b.top3)).padStart(28)}${(fmt(a.mrr) + " / " + fmt(b.mrr)).padStart(28)}`);
  line("all", ...ranking.all);
  for (const [kind, a, b] of ranking.kinds) line(`${kind} (${a.n})`, a, b);
  console.log(`ratios djguide/Pagefind: top-1 ${fmt(ranking.all[0].top1 / ranking.all[1].top1)}, top-3 ${fmt(ranking.all[0].top3 / ranking.all[1].top3)}, MRR ${fmt(ranking.all[0].mrr / ranking.all[1].mrr)}`);
  if (ranking.misses.length) console.log(`djguide not first (rank): ${ranking.misses.join(" · ")}`);
}
