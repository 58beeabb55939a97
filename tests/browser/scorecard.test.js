// The interviewer scorecard: pick questions (on the hub or a question page),
// score each 1-4 with notes, totals by level, kept across reloads, printed
// alone, and copied as Markdown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser({ permissions: ["clipboard-read", "clipboard-write"] });

test("pick, score, total by level, reload, print and copy as Markdown", async () => {
  const page = await strictPage(env.browser.context);
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto(env.site.url("questions/"));
  const opener = page.getByRole("button", { name: "Interviewer scorecard" });
  assert.equal(await opener.getAttribute("aria-expanded"), "false");
  await opener.click();
  assert.equal(await opener.getAttribute("aria-expanded"), "true");
  const scorecard = page.getByRole("region", { name: "Interview scorecard" });
  assert.ok(await scorecard.isVisible());
  assert.ok(await scorecard.getByText("No questions picked yet.").isVisible());

  // One junior, two mid questions.
  const picks = [];
  for (const [level, n] of [["junior", 0], ["mid", 0], ["mid", 1]]) {
    const item = page.locator(`.question-item[data-level="${level}"]`).nth(n);
    picks.push({ level, title: (await item.locator(".question-link").innerText()).trim() });
    const pick = item.locator(".sc-pick");
    assert.equal(await pick.getAttribute("aria-pressed"), "false");
    await item.getByRole("button", { name: /^Add to scorecard\b/ }).click();
    // The button says what happened, in words and by its pressed state.
    assert.equal(await pick.getAttribute("aria-pressed"), "true");
    assert.equal(await pick.locator(".sc-pick-label").innerText(), "Added to scorecard");
    assert.ok(await item.getByRole("button", { name: /^Added to scorecard\b/ }).isVisible());
  }
  const items = scorecard.locator(".sc-item");
  assert.equal(await items.count(), 3);
  assert.deepEqual((await items.locator(".sc-title").allInnerTexts()).map((t) => t.trim()), picks.map((p) => p.title));

  await items.nth(0).getByRole("radio", { name: /^2/ }).check();
  await items.nth(1).getByRole("radio", { name: /^4/ }).check();
  await items.nth(2).getByRole("radio", { name: /^3/ }).check();
  await items.nth(1).getByRole("textbox", { name: /^Notes/ }).fill("Explained the trade-off | with numbers\nand a test.");
  await scorecard.getByLabel("Candidate").fill("Ada Lovelace");

  const rows = async () => scorecard.locator("[data-sc-totals] tr").evaluateAll((trs) =>
    trs.slice(1).map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(await rows(), [
    ["Junior", "1", "1", "2 / 4", "2.0"],
    ["Mid", "2", "2", "7 / 8", "3.5"],
    ["All levels", "3", "3", "9 / 12", "3.0"],
  ]);

  // Everything survives a reload, and #scorecard opens it directly.
  await page.goto(env.site.url("questions/#scorecard"));
  await page.reload();
  assert.ok(await scorecard.isVisible());
  assert.equal(await scorecard.getByLabel("Candidate").inputValue(), "Ada Lovelace");
  assert.equal(await items.count(), 3);
  assert.equal(await items.nth(1).getByRole("radio", { name: /^4/ }).isChecked(), true);
  assert.equal(await items.nth(1).getByRole("textbox", { name: /^Notes/ }).inputValue(), "Explained the trade-off | with numbers\nand a test.");
  assert.equal((await rows()).length, 3);

  // Printing shows the scorecard alone.
  await page.emulateMedia({ media: "print" });
  assert.ok(await scorecard.isVisible());
  assert.equal(await page.locator(".list-layout").isVisible(), false);
  assert.equal(await page.locator(".site-header").isVisible(), false);
  assert.equal(await scorecard.getByRole("button", { name: "Print" }).isVisible(), false);
  await page.emulateMedia({ media: "screen" });

  // Copy as Markdown.
  await scorecard.getByRole("button", { name: "Copy as Markdown" }).click();
  await scorecard.getByText("Copied the scorecard as Markdown.").waitFor();
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(markdown, /^# Interview scorecard\n\nCandidate: Ada Lovelace {2}\nDate: \d{4}-\d\d-\d\d\n/);
  assert.match(markdown, /\| # \| Question \| Level \| Topic \| Score \| Notes \|\n\|---\|---\|---\|---\|---\|---\|\n/);
  const firstUrl = await items.nth(0).locator(".sc-title").evaluate((a) => a.href);
  assert.ok(markdown.includes(`| 1 | [${picks[0].title.replace(/[[\]]/g, "\\$&")}](${firstUrl}) | Junior |`), markdown);
  assert.ok(markdown.includes("| 4/4 | Explained the trade-off \\| with numbers<br>and a test. |"), markdown);
  assert.ok(markdown.includes("| All levels | 3 | 3 | 9 / 12 | 3.0 |"), markdown);

  // Remove one, then clear.
  await items.nth(0).getByRole("button", { name: `Remove ${picks[0].title}` }).click();
  assert.equal(await items.count(), 2);
  assert.deepEqual((await rows())[0], ["Mid", "2", "2", "7 / 8", "3.5"]);
  await scorecard.getByRole("button", { name: "Clear scorecard" }).click();
  assert.equal(await items.count(), 0);
  assert.ok(await scorecard.getByText("No questions picked yet.").isVisible());
  await scorecard.getByRole("button", { name: "Close" }).click();
  assert.equal(await scorecard.isVisible(), false);
  assert.equal(await page.locator(".sc-pick").count(), 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a question page adds itself to the scorecard", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("orm/n-plus-one/"));
  const title = await page.locator("h1").innerText();
  const add = page.locator("[data-scorecard-toggle]");
  assert.equal(await add.getAttribute("aria-pressed"), "false");
  const tick = () => add.locator(".sc-pick-label").evaluate((label) => getComputedStyle(label, "::before").content);
  assert.equal(await tick(), "none");
  await page.getByRole("button", { name: "Add to scorecard" }).click();
  assert.equal(await add.getAttribute("aria-pressed"), "true");
  assert.equal(await add.innerText(), "Added to scorecard");
  assert.match(await tick(), /✓/);
  // It stays added across a reload, and a second press takes it back.
  await page.reload();
  assert.equal(await add.getAttribute("aria-pressed"), "true");
  await page.getByRole("button", { name: "Added to scorecard" }).click();
  assert.equal(await add.innerText(), "Add to scorecard");
  assert.equal(await add.getAttribute("aria-pressed"), "false");
  await add.click();
  await page.getByRole("link", { name: "Open the scorecard" }).click();
  await page.waitForURL(/\/questions\/#scorecard$/);
  const item = page.locator(".sc-item");
  assert.equal(await item.count(), 1);
  assert.equal((await item.locator(".sc-title").innerText()).trim(), title);
  assert.match(await item.locator(".sc-expected p").textContent(), /N\+1/);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(page.problems, []);
  await page.close();
});
