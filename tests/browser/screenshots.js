// Screenshots of every page kind, light and dark, laptop and phone, for a
// person to look at: `node screenshots.js OUTDIR [kind ...]`. Not a test.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PAGE_KINDS, launch, startSite } from "./lib.js";

const out = process.argv[2] || "screenshots";
const only = process.argv.slice(3);
const viewports = { laptop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
mkdirSync(out, { recursive: true });
const site = await startSite();
try {
  for (const [device, viewport] of Object.entries(viewports)) {
    for (const scheme of ["light", "dark"]) {
      const browser = await launch({ viewport, colorScheme: scheme, deviceScaleFactor: 1, isMobile: device === "phone", hasTouch: device === "phone" });
      const page = await browser.context.newPage();
      for (const [kind, path] of Object.entries(PAGE_KINDS)) {
        if (only.length && !only.includes(kind)) continue;
        await page.goto(site.url(path), { waitUntil: "networkidle" });
        const file = join(out, `${kind}-${device}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: process.env.FULL === "1" });
        console.log(file);
      }
      await browser.close();
    }
  }
} finally {
  site.close();
}
