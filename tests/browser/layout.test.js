// Layout on phones, tablets, wide screens and paper. No page of the guide or
// of the third-party-style fixtures scrolls sideways at 320, 390 or 768 px;
// the phone header is compact and stays in reach; a wide screen puts the
// outline beside the answer and gives code a wider column; code that scrolls
// shows that it does; printed code wraps instead of losing text at the edge.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { builtPages, launch, startSite } from "./lib.js";

const WIDTHS = [320, 390, 768];
const FIXTURES = ["tests/fixtures/basic", "tests/fixtures/rich-html", "tests/fixtures/hostile"];
const LONG_QUESTION = "orm/n-plus-one/";
// A4 minus the theme's @page margins (1.5 cm each side), at 96 px per inch.
const PAPER_WIDTH = Math.floor(((21 - 3) / 2.54) * 96);

/**
 * Runs in the page. Everything whose right edge passes the viewport's: elements
 * and runs of text, except inside a box that scrolls sideways on purpose
 * (code, tables, the phone nav) or that is visually hidden. Text clipped by an
 * `overflow: hidden` box counts: that text is lost to the reader.
 */
function horizontalOverflow() {
  const root = document.documentElement;
  const edge = root.clientWidth + 0.5;
  const exempt = (element) => {
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.overflowX === "auto" || style.overflowX === "scroll") return true;
      if (style.clip !== "auto" || style.clipPath !== "none") return true;
    }
    return false;
  };
  const name = (element) => {
    const path = [];
    for (let node = element; node && node !== document.body && path.length < 4; node = node.parentElement) {
      const classes = typeof node.className === "string" && node.className.trim() ? "." + node.className.trim().split(/\s+/).join(".") : "";
      path.unshift(node.tagName.toLowerCase() + (node.id ? `#${node.id}` : "") + classes);
    }
    return path.join(" > ");
  };
  const offenders = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > edge && !exempt(element)) offenders.push(`${name(element)} (right edge ${Math.round(box.right)} px)`);
  }
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = texts.nextNode(); text; text = texts.nextNode()) {
    if (!text.textContent.trim()) continue;
    range.selectNodeContents(text);
    const box = range.getBoundingClientRect();
    if (box.width > 0 && box.right > edge && !exempt(text.parentElement)) {
      offenders.push(`text "${text.textContent.trim().slice(0, 40)}" in ${name(text.parentElement)} (right edge ${Math.round(box.right)} px)`);
    }
  }
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, offenders };
}

/** Visits every page at each width with one browser page; returns what overflowed where. */
async function overflowAcross(page, site, pages, widths) {
  const failures = [];
  for (const width of widths) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of pages) {
      await page.goto(site.url(path), { waitUntil: "load" });
      const result = await page.evaluate(horizontalOverflow);
      if (result.scrollWidth > result.clientWidth || result.offenders.length) {
        failures.push(`${width} px /${path}: page ${result.scrollWidth} px wide in ${result.clientWidth}\n    ` +
          (result.offenders.slice(0, 4).join("\n    ") || "(no single element found)"));
      }
    }
  }
  return failures;
}

describe("the guide", () => {
  let site;
  let browser;
  before(async () => {
    site = await startSite();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    site?.close();
  });

  for (const width of WIDTHS) {
    test(`no page scrolls sideways at ${width} px`, async () => {
      const pages = builtPages(site.output);
      assert.ok(pages.length > 150, `only ${pages.length} pages`);
      const page = await browser.context.newPage();
      const started = Date.now();
      const failures = await overflowAcross(page, site, pages, [width]);
      console.log(`# ${pages.length} pages at ${width} px in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await page.close();
      assert.deepEqual(failures, [], failures.join("\n"));
    });
  }

  test("on a phone the header is one compact row that stays in reach, and search widens when tapped", async () => {
    const phone = await launch({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const page = await phone.context.newPage();
      await page.goto(site.url(LONG_QUESTION), { waitUntil: "networkidle" });
      const header = page.locator(".site-header");
      assert.ok((await header.boundingBox()).height <= 64, "header at most 64 px tall");
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForFunction(() => window.scrollY > 3000);
      for (const selector of ["#search-input", ".theme-toggle", ".site-title"]) {
        const box = await page.locator(selector).boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= 64, `${selector} in the header at the top of the screen after scrolling`);
        // Nothing covers it: a tap at its centre reaches it.
        const reached = await page.evaluate(([x, y, selector]) => document.elementFromPoint(x, y)?.closest(selector) !== null,
          [box.x + box.width / 2, box.y + box.height / 2, selector]);
        assert.ok(reached, `${selector} can be tapped`);
      }
      await page.tap("#search-input");
      const field = await page.locator("#search-input").boundingBox();
      assert.ok(field.width >= 250, `the focused search field widens over the row (${field.width} px)`);
      const toggle = await page.locator(".theme-toggle").boundingBox();
      assert.ok(field.x + field.width <= toggle.x, "the widened field leaves the theme toggle uncovered");
    } finally {
      await phone.close();
    }
  });

  test("on a wide screen the outline sits beside the answer, code gets a wider column, prose keeps its measure", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(site.url("middleware/middleware-order/"), { waitUntil: "networkidle" });
    const layout = await page.evaluate(() => {
      const box = (selector) => document.querySelector(selector).getBoundingClientRect();
      // The measure as a reader counts it: characters per full line of the longest paragraph.
      const paragraph = [...document.querySelectorAll(".answer > p")].sort((a, b) => b.textContent.length - a.textContent.length)[0];
      const lines = paragraph.getBoundingClientRect().height / parseFloat(getComputedStyle(paragraph).lineHeight);
      return { answer: box(".answer"), toc: box(".toc"), code: box(".answer > .code"), lines, measure: paragraph.textContent.length / (lines - 0.5) };
    });
    assert.ok(layout.toc.left > layout.answer.right, "the outline is beside the answer");
    const unused = 1366 - (layout.toc.right - layout.answer.left);
    assert.ok(unused <= 200, `${Math.round(unused)} px of the screen beside the answer and the outline is unused`);
    assert.ok(layout.code.width > layout.answer.width * 0.95 && layout.code.width >= 880, `code column ${Math.round(layout.code.width)} px`);
    assert.ok(layout.lines >= 3, "a paragraph of several lines to measure");
    assert.ok(layout.measure >= 60 && layout.measure <= 85, `prose measure ${Math.round(layout.measure)} characters a line`);
    await page.close();
  });

  test("code that scrolls sideways fades at the edge with more to show, and code that fits does not", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(site.url("middleware/middleware-order/"), { waitUntil: "networkidle" });
    const fades = () => page.evaluate(() => [...document.querySelectorAll(".code-block")].map((block) => ({
      scrolls: block.scrollWidth > block.clientWidth + 1,
      start: getComputedStyle(block).getPropertyValue("--fade-start"),
      end: getComputedStyle(block).getPropertyValue("--fade-end"),
    })));
    const before = await fades();
    assert.ok(before.some((block) => block.scrolls) && before.some((block) => !block.scrolls), "the page has code that scrolls and code that fits");
    for (const block of before) {
      if (block.scrolls) assert.ok(block.start === "0px" && parseFloat(block.end) > 0, `a scrolling block fades on the right only: ${JSON.stringify(block)}`);
      else assert.ok(block.start === "0px" && block.end === "0px", `a block that fits does not fade: ${JSON.stringify(block)}`);
    }
    await page.evaluate(() => document.querySelectorAll(".code-block").forEach((block) => { block.scrollLeft = block.scrollWidth; }));
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    for (const block of (await fades()).filter((b) => b.scrolls)) {
      assert.ok(parseFloat(block.start) > 0 && block.end === "0px", `scrolled to the end, it fades on the left only: ${JSON.stringify(block)}`);
    }
    await page.close();
  });

  describe("print", () => {
    const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };
    const textOf = (html) => html.replace(/<[^>]+>/g, "").replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name) => ENTITIES[name]);
    // SQL in a sql block, or in output (sqlmigrate, logged queries).
    const SQL_LINE = /^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH)\b/;

    /** The page holding the longest code line that `wanted(text)` accepts. */
    function longestLine(wanted) {
      let best = { length: 0 };
      for (const path of builtPages(site.output).filter((p) => p.endsWith("/"))) {
        const html = readFileSync(join(site.output, path, "index.html"), "utf8");
        for (const [, body] of html.matchAll(/<pre class="code-block[^"]*">([\s\S]*?)<\/pre>/g)) {
          // Line elements exist only in marked blocks; the text is the same either way.
          for (const text of textOf(body).split("\n")) {
            if (text.length > best.length && wanted(text)) best = { path, length: text.length, text };
          }
        }
      }
      return best;
    }

    /** Runs in the page: code blocks that scroll, and code text that passes its block's right edge. */
    function clippedCode() {
      const clipped = [];
      const range = document.createRange();
      document.querySelectorAll("pre").forEach((pre, index) => {
        if (pre.scrollWidth > pre.clientWidth) clipped.push(`pre ${index} is ${pre.scrollWidth} px wide in ${pre.clientWidth}`);
        const right = pre.getBoundingClientRect().right;
        const text = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        while (text.nextNode()) {
          range.selectNodeContents(text.currentNode);
          if ([...range.getClientRects()].some((box) => box.right > right + 0.5)) clipped.push(`pre ${index}: "${text.currentNode.textContent.slice(0, 60)}"`);
        }
      });
      return clipped;
    }

    const lines = [["the longest SQL line", (text) => SQL_LINE.test(text)], ["the longest line of any code or output", () => true]];
    for (const [label, wanted] of lines) {
      test(`${label} wraps and stays whole on paper; the site's chrome is not printed`, async () => {
        const longest = longestLine(wanted);
        assert.ok(longest.length > 120, `a line too long for paper without wrapping: ${JSON.stringify(longest)}`);
        const page = await browser.context.newPage();
        await page.setViewportSize({ width: PAPER_WIDTH, height: 1000 });
        await page.emulateMedia({ media: "print" });
        await page.goto(site.url(longest.path), { waitUntil: "networkidle" });
        assert.deepEqual(await page.evaluate(clippedCode), [], `/${longest.path} in print`);
        const lineShown = await page.evaluate((text) => [...document.querySelectorAll(".code-block")]
          .some((block) => block.textContent.split("\n").some((line) => line.replace(/\s+/g, "") === text.replace(/\s+/g, "")) && block.getClientRects().length > 0 && block.getBoundingClientRect().height > 0), longest.text);
        assert.ok(lineShown, `the longest line is printed: ${longest.text.slice(0, 80)}`);
        for (const selector of [".site-header", "#search-input", ".copy-button", ".site-footer", "button"]) {
          const shown = await page.locator(selector).evaluateAll((elements) => elements.filter((e) => e.getClientRects().length > 0).length);
          assert.equal(shown, 0, `${selector} is not printed`);
        }
        await page.close();
      });
    }
  });
});

for (const fixture of FIXTURES) {
  describe(fixture, () => {
    let site;
    let browser;
    before(async () => {
      site = await startSite({ siteRoot: fixture });
      browser = await launch();
    });
    after(async () => {
      await browser?.close();
      site?.close();
    });

    test(`no page scrolls sideways at ${WIDTHS.join(", ")} px`, async () => {
      const pages = builtPages(site.output);
      assert.ok(pages.length >= 5, `only ${pages.length} pages`);
      const page = await browser.context.newPage();
      const failures = await overflowAcross(page, site, pages, WIDTHS);
      await page.close();
      assert.deepEqual(failures, [], failures.join("\n"));
    });
  });
}
