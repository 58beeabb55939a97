// Mock interview: choose how many questions, the levels and the topics; the
// questions are drawn at random, each is timed and self-scored, and the
// interview ends in a summary (per question score and time, totals) that
// prints alone and copies as Markdown. Without JavaScript nothing of it shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, strictPage, withSiteAndBrowser } from "./lib.js";

const env = withSiteAndBrowser({ permissions: ["clipboard-read", "clipboard-write"] });

test("from the home page to a printed and copied summary", async () => {
  const page = await strictPage(env.browser.context);
  await page.clock.install({ time: new Date(2027, 2, 1, 10, 0, 0) });
  await page.goto(env.site.url(""));
  await page.locator(".hero").getByRole("link", { name: "Mock interview" }).click();
  await page.waitForURL(/\/questions\/#mock$/);
  const mock = page.getByRole("region", { name: "Mock interview" });
  assert.ok(await mock.isVisible());
  assert.equal(await page.locator(".list-layout").isVisible(), false, "the list, with its answers, is out of sight");

  // Three mid or senior questions from two topics.
  await mock.getByLabel("Questions").fill("3");
  await mock.getByRole("checkbox", { name: "Junior" }).uncheck();
  await mock.getByText(/^Topics: all \d+/).click();
  const topics = mock.locator("input[name=mock-topic]");
  for (let i = 0; i < await topics.count(); i++) await topics.nth(i).uncheck();
  await mock.getByRole("checkbox", { name: "ORM and databases" }).check();
  await mock.getByRole("checkbox", { name: "Security" }).check();
  await mock.getByRole("button", { name: "Start the interview" }).click();

  const allowed = await page.locator(".question-item").evaluateAll((items) => Object.fromEntries(items
    .filter((item) => item.dataset.level !== "junior" && ["orm", "security"].includes(item.dataset.topic))
    .map((item) => [item.querySelector(".question-link").textContent.trim(), item.querySelector(".question-summary").textContent.trim()])));
  const asked = [];
  const scores = [3, 1, 2];
  const seconds = [75, 30, 125];
  for (let i = 0; i < 3; i++) {
    assert.equal(await mock.locator("[data-mock-position]").innerText(), `Question ${i + 1} of 3`);
    const title = await mock.locator("[data-mock-question]").innerText();
    assert.ok(title in allowed, `${title} is a mid or senior ORM or security question`);
    assert.ok(!asked.includes(title), "no question twice");
    asked.push(title);
    assert.equal(await mock.getByRole("timer").innerText(), "0:00");
    assert.equal(await mock.locator("[data-mock-answer]").isVisible(), false);
    await page.clock.runFor(seconds[i] * 1000);
    assert.equal(await mock.getByRole("timer").innerText(), `${Math.floor(seconds[i] / 60)}:${String(seconds[i] % 60).padStart(2, "0")}`);
    await mock.getByRole("button", { name: "Show the quick answer" }).click();
    assert.equal(await mock.locator("[data-mock-quick-answer]").innerText(), allowed[title]);
    await mock.getByRole("button", { name: new RegExp(`^${scores[i]} `) }).click();
  }

  const summary = mock.locator("[data-mock-summary]");
  assert.ok(await summary.isVisible());
  assert.equal(await summary.locator("[data-mock-totals]").innerText(), "Score 6 of 9 (67%) · time 3:50, 1:17 a question on average.");
  const rows = await summary.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((cell) => cell.textContent)));
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((row) => [row[0], row[1], row[4], row[5]]), [
    ["1", asked[0], "3/3 strong", "1:15"],
    ["2", asked[1], "1/3 weak", "0:30"],
    ["3", asked[2], "2/3 ok", "2:05"],
  ]);

  // Printed, the summary stands alone.
  await page.emulateMedia({ media: "print" });
  assert.ok(await summary.locator("table").isVisible());
  for (const hidden of [".site-header", ".list-layout", ".page-header", "[data-mock-copy]", "[data-mock-setup]"]) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
  }
  await page.emulateMedia({ media: "screen" });

  await summary.getByRole("button", { name: "Copy as Markdown" }).click();
  await summary.getByText("Copied the summary as Markdown.").waitFor();
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(markdown, /^# Mock interview\n\nDate: 2027-03-01 {2}\nScore 6 of 9 \(67%\) · time 3:50, 1:17 a question on average\.\n\n\| # \| Question \| Level \| Topic \| Score \| Time \|\n/);
  assert.ok(markdown.includes(`| 2 | [${asked[1].replace(/[[\]]/g, "\\$&")}](`), markdown);
  assert.ok(markdown.includes("| 1/3 weak | 0:30 |"), markdown);

  // Another round starts from the setup, with the choices kept; Close brings the list back.
  await summary.getByRole("button", { name: "New interview" }).click();
  assert.equal(await mock.getByLabel("Questions").inputValue(), "3");
  await mock.getByRole("button", { name: "Close" }).click();
  assert.ok(await page.locator(".list-layout").isVisible());
  assert.equal(await page.locator("[data-mock-open]").getAttribute("aria-expanded"), "false");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("an interview can end early, and a choice that matches nothing says so", async () => {
  const page = await strictPage(env.browser.context);
  await page.goto(env.site.url("questions/"));
  const opener = page.locator("[data-mock-open]");
  await page.getByRole("button", { name: "Mock interview" }).click();
  assert.equal(await opener.getAttribute("aria-expanded"), "true");
  const mock = page.getByRole("region", { name: "Mock interview" });
  for (const level of ["Junior", "Mid", "Senior"]) await mock.getByRole("checkbox", { name: level }).uncheck();
  await mock.getByRole("button", { name: "Start the interview" }).click();
  assert.equal(await mock.locator("[data-mock-setup-status]").innerText(), "No question matches: choose at least one level and one topic.");
  await mock.getByRole("checkbox", { name: "Senior" }).check();
  await mock.getByLabel("Questions").fill("4");
  await mock.getByRole("button", { name: "Start the interview" }).click();
  await mock.getByRole("button", { name: /^0 / }).click();
  await mock.getByRole("button", { name: "End the interview now" }).click();
  assert.equal(await mock.locator("tbody tr").count(), 1);
  assert.match(await mock.locator("[data-mock-totals]").innerText(), /^Score 0 of 3 \(0%\)/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("without JavaScript no mock interview control is shown", async (t) => {
  const browser = await launch({ javaScriptEnabled: false });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  for (const path of ["", "questions/"]) {
    await page.goto(env.site.url(path));
    for (const role of ["button", "link"]) {
      assert.equal(await page.getByRole(role, { name: "Mock interview" }).filter({ visible: true }).count(), 0, `${path}: ${role}`);
    }
    assert.equal(await page.locator("[data-mock]").isVisible(), false, path);
  }
});
