// The CSV export for Anki: linked from the footer and the all-questions page,
// downloaded as questions.csv, with Anki's header lines and one RFC 4180
// record per question (question, quick answer, topic, level, URL, tags).
import { readFileSync } from "node:fs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser({ acceptDownloads: true });

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") { record.push(field); field = ""; }
    else if (char === "\r" && text[i + 1] === "\n") { record.push(field); records.push(record); record = []; field = ""; i++; }
    else field += char;
  }
  assert.equal(field + record.join(""), "", "the file ends with a line break");
  return records;
}

test("the footer link downloads every question as a CSV that Anki imports", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("questions/"));
  const items = await page.locator(".question-item").evaluateAll((lis) => lis.map((li) => ({
    title: li.querySelector(".question-link").textContent.trim(),
    summary: li.querySelector(".question-summary").textContent.trim(),
    url: li.querySelector(".question-link").href,
    level: li.dataset.levelLabel, topic: li.dataset.topicTitle, tags: `${li.dataset.topic} ${li.dataset.level}`,
  })));
  assert.ok(items.length > 100);
  assert.ok(await page.locator("main").getByRole("link", { name: "Download them all as CSV" }).isVisible());

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("footer").getByRole("link", { name: "Questions as CSV (for Anki)" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "questions.csv");
  const text = readFileSync(await download.path(), "utf8");
  assert.ok(!text.startsWith("\uFEFF"), "UTF-8 without a byte-order mark");

  const lines = text.split("\r\n");
  assert.deepEqual(lines.slice(0, 4), [
    "#separator:Comma", "#html:false", "#columns:Question,Quick answer,Topic,Level,URL,Tags", "#tags column:6",
  ]);
  const records = parseCsv(lines.slice(4).join("\r\n"));
  assert.equal(records.length, items.length, "one record per question");
  assert.deepEqual(records, items.map((item) => [item.title, item.summary, item.topic, item.level, item.url, item.tags]));
  // Quoting is exercised: some answers hold commas and quotes.
  assert.ok(records.some((record) => record[1].includes(",")));
  assert.deepEqual(page.problems, []);
  await page.close();
});
