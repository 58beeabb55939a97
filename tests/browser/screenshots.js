// Screenshots for a person to look at. Not a test.
//   node screenshots.js OUTDIR [kind ...]   every page kind, light and dark, laptop and phone
//   node screenshots.js --readme            the README's question page, desktop and phone,
//                                           light and dark, into docs/screenshots/
// Each shot is the first screen of the page (FULL=1 for the whole page in the first form).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PAGE_KINDS, REPO, launch, startSite } from "./lib.js";

const README_PAGE = "orm/n-plus-one/";
const readme = process.argv[2] === "--readme";
const out = readme ? join(REPO, "docs/screenshots") : process.argv[2] || "screenshots";
const only = readme ? [] : process.argv.slice(3);
const viewports = readme
  ? { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } }
  : { laptop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const pages = readme ? { question: README_PAGE } : PAGE_KINDS;

mkdirSync(out, { recursive: true });
const site = await startSite();
try {
  for (const [device, viewport] of Object.entries(viewports)) {
    for (const scheme of ["light", "dark"]) {
      const phone = device === "phone";
      const browser = await launch({ viewport, colorScheme: scheme, deviceScaleFactor: 1, isMobile: phone, hasTouch: phone });
      const page = await browser.context.newPage();
      for (const [kind, path] of Object.entries(pages)) {
        if (only.length && !only.includes(kind)) continue;
        await page.goto(site.url(path), { waitUntil: "networkidle" });
        const file = join(out, `${kind}-${device}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: !readme && process.env.FULL === "1" });
        console.log(file);
      }
      await browser.close();
    }
  }
} finally {
  site.close();
}
