// The built site, read from disk: what search engines and budgets see.
// Metadata on every page, valid structured data, a complete sitemap, no
// render-blocking script, and the theme's CSS and JavaScript size budgets.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { startSite } from "./lib.js";

const CSS_BUDGET = 15 * 1024;
const JS_BUDGET = 10 * 1024;

let site;
let pages; // [{ path: "orm/n-plus-one/index.html", url, html }]
before(async () => {
  site = await startSite();
  pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".html")) {
        const rel = relative(site.output, path).split(sep).join("/");
        pages.push({ path: rel, url: site.base + rel.replace(/index\.html$/, ""), html: readFileSync(path, "utf8") });
      }
    }
  };
  walk(site.output);
});
after(() => site?.close());

const attr = (html, pattern) => (html.match(pattern) || [])[1];
const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const textOf = (html) => decode(html.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim();

test("every page has a title, description, canonical URL, Open Graph tags and a language", () => {
  assert.ok(pages.length > 100, `only ${pages.length} pages`);
  for (const { path, url, html } of pages) {
    assert.match(html, /^<!doctype html>\n<html lang="[a-z-]+">/, path);
    assert.ok(attr(html, /<title>([^<]+)<\/title>/), `${path}: title`);
    const description = attr(html, /<meta name="description" content="([^"]*)">/);
    assert.ok(description && description.length > 20, `${path}: description`);
    const canonical = attr(html, /<link rel="canonical" href="([^"]+)">/);
    if (path !== "404.html") assert.equal(canonical, url, `${path}: canonical`);
    for (const property of ["og:title", "og:description", "og:url", "og:type", "og:site_name"]) {
      assert.ok(attr(html, new RegExp(`<meta property="${property}" content="([^"]+)">`)), `${path}: ${property}`);
    }
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/, path);
    assert.match(html, /<link rel="icon" href="[^"]+favicon\.ico"/, path);
  }
});

test("question pages carry FAQPage structured data that matches the page", () => {
  const questions = pages.filter((p) => p.html.includes('data-page-kind="question"'));
  assert.ok(questions.length >= 50, `${questions.length} question pages`);
  for (const { path, url, html } of questions) {
    const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]));
    assert.equal(blocks.length, 1, `${path}: one JSON-LD block`);
    const data = blocks[0];
    assert.equal(data["@context"], "https://schema.org", path);
    assert.equal(data["@type"], "FAQPage", path);
    assert.equal(data.url, url, path);
    assert.ok(Array.isArray(data.mainEntity) && data.mainEntity.length === 1, path);
    const [question] = data.mainEntity;
    assert.equal(question["@type"], "Question", path);
    assert.equal(question.name, textOf(attr(html, /<h1>([\s\S]*?)<\/h1>/)), `${path}: name is the title`);
    assert.equal(question.acceptedAnswer["@type"], "Answer", path);
    const quick = attr(html, /<section class="quick-answer"[^>]*>[\s\S]*?<p>([\s\S]*?)<\/p>/);
    assert.equal(question.acceptedAnswer.text, textOf(quick), `${path}: answer is the quick answer`);
    // The description is the quick answer's opening: its first sentence, or all of it.
    const description = textOf(attr(html, /<meta name="description" content="([^"]*)">/));
    assert.ok(description.length >= 20 && question.acceptedAnswer.text.startsWith(description), `${path}: description opens the summary: ${description}`);
    assert.match(description, /[.?!]$|^[^.?!]*$/, `${path}: description ends at a sentence end`);
  }
});

test("the home page describes the site as a WebSite with a search action", () => {
  const home = pages.find((p) => p.path === "index.html");
  const data = JSON.parse(attr(home.html, /<script type="application\/ld\+json">([\s\S]*?)<\/script>/));
  assert.equal(data["@type"], "WebSite");
  assert.equal(data.url, site.base);
  assert.equal(data.potentialAction["@type"], "SearchAction");
  assert.equal(data.potentialAction.target.urlTemplate, `${site.base}search/?q={search_term_string}`);
  assert.equal(data.potentialAction["query-input"], "required name=search_term_string");
});

test("the sitemap lists every indexable page and nothing else", () => {
  const sitemap = readFileSync(join(site.output, "sitemap.xml"), "utf8");
  const listed = new Set([...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]));
  const indexable = pages.filter((p) => !p.html.includes('<meta name="robots" content="noindex">'));
  for (const page of indexable) assert.ok(listed.has(page.url), `missing from the sitemap: ${page.url}`);
  for (const url of listed) {
    const page = pages.find((p) => p.url === url);
    assert.ok(page, `sitemap entry without a page: ${url}`);
    assert.ok(!page.html.includes('content="noindex"'), `noindex page in the sitemap: ${url}`);
  }
  assert.equal(listed.size, indexable.length);
  const robots = readFileSync(join(site.output, "robots.txt"), "utf8");
  assert.match(robots, new RegExp(`Sitemap: ${site.base}sitemap.xml`));
});

test("no render-blocking script: only the tiny theme initialiser runs inline", () => {
  for (const { path, html } of pages) {
    const head = html.slice(0, html.indexOf("</head>"));
    for (const [tag] of head.matchAll(/<script\b[^>]*>/g)) {
      if (tag.includes('type="application/ld+json"')) continue;
      if (tag.includes("src=")) assert.match(tag, /\s(defer|async)\b/, `${path}: ${tag}`);
    }
    const inline = [...head.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    assert.equal(inline.length, 1, `${path}: one inline script`);
    assert.ok(inline[0][1].length < 250, `${path}: the inline script stays tiny`);
    assert.match(inline[0][1], /djguide-theme/);
  }
});

test("assets are fingerprinted and within budget", () => {
  const home = pages.find((p) => p.path === "index.html").html;
  const css = attr(home, /<link rel="stylesheet" href="\/(assets\/style\.[0-9a-f]{8}\.css)">/);
  const js = attr(home, /<script src="\/(assets\/main\.[0-9a-f]{8}\.js)" defer>/);
  assert.ok(css, "fingerprinted stylesheet");
  assert.ok(js, "fingerprinted script");
  const cssBytes = readFileSync(join(site.output, css));
  const jsBytes = readFileSync(join(site.output, js));
  const cssGz = gzipSync(cssBytes, { level: 9 }).length;
  const jsGz = gzipSync(jsBytes, { level: 9 }).length;
  console.log(`  style.css: ${cssBytes.length} B, ${cssGz} B gzipped (budget ${CSS_BUDGET}); includes the generated highlighting CSS`);
  console.log(`  main.js:   ${jsBytes.length} B, ${jsGz} B gzipped (budget ${JS_BUDGET})`);
  assert.ok(cssGz <= CSS_BUDGET, `CSS ${cssGz} B gzipped > ${CSS_BUDGET}`);
  assert.ok(jsGz <= JS_BUDGET, `JS ${jsGz} B gzipped > ${JS_BUDGET}`);
  assert.ok(statSync(join(site.output, "favicon.ico")).size > 0);
  assert.ok(statSync(join(site.output, "favicon.svg")).size > 0);
});

test("no web fonts, and the minified stylesheet keeps its math valid", () => {
  const home = pages.find((p) => p.path === "index.html").html;
  const css = readFileSync(join(site.output, attr(home, /<link rel="stylesheet" href="\/([^"]+)">/)), "utf8");
  assert.doesNotMatch(css, /@font-face|@import|url\(["']?https?:/);
  // `1rem+2vw` (no spaces) is invalid CSS and silently drops the declaration.
  assert.doesNotMatch(css, /[\d.](rem|em|vw|vh|px|%)[+-][\d.]/);
});
