// Compares screenshots of every code block on a few question pages between
// two builds of the guide (e.g. before and after a highlighting change), in
// the light and the dark scheme, both by system preference and by the
// reader's choice (`data-theme`). Usage:
//   node highlight-pixels.mjs http://127.0.0.1:PORT_A/ http://127.0.0.1:PORT_B/ [page ...]
//   node highlight-pixels.mjs BUILD_FOLDER_A BUILD_FOLDER_B [page ...]
// Exits non-zero if any block differs in a single pixel.
import { launch } from "./lib.js";

// A build folder (built with `--base-url http://127.0.0.1/`) is served here.
const servers = [];
async function siteUrl(where) {
  if (/^https?:/.test(where)) return where;
  const { serve } = await import("../../tools/static-server.mjs");
  const server = await serve(where);
  servers.push(server);
  return server.url;
}
const [beforeSite, afterSite, ...pages] = process.argv.slice(2);
const before = await siteUrl(beforeSite);
const after = await siteUrl(afterSite);
const PAGES = pages.length ? pages : [
  "testing/testing-signals-tasks-external-apis/",
  "deployment/static-vs-media-files/",
  "deployment/gunicorn-nginx-docker/",
  "testing/running-and-organising-tests/",
];
const SCHEMES = [
  { name: "light (system)", colorScheme: "light", choice: null },
  { name: "dark (system)", colorScheme: "dark", choice: null },
  { name: "light (chosen)", colorScheme: "dark", choice: "light" },
  { name: "dark (chosen)", colorScheme: "light", choice: "dark" },
];

async function blockShots(page, url, scheme) {
  await page.emulateMedia({ colorScheme: scheme.colorScheme });
  await page.goto(url);
  if (scheme.choice) {
    await page.evaluate((choice) => document.documentElement.setAttribute("data-theme", choice), scheme.choice);
  }
  // Every glyph on a whole-pixel grid (advance + letter spacing = 9 px; `1ch`
  // is the advance). Otherwise where the text is split into spans moves the
  // glyphs after it by a fraction of a pixel, which changes their
  // antialiasing though not their colour, and hides a colour change in noise.
  await page.addStyleTag({ content: "pre.hl-code { letter-spacing: calc(9px - 1ch) !important }" });
  if (process.env.MONOCHROME) {
    // Everything one colour: differences left come from glyph placement, not colour.
    await page.addStyleTag({ content: ".hl-code, .hl-code * { color: #000 !important; font-weight: normal !important; font-style: normal !important; text-decoration: none !important }" });
  }
  const blocks = await page.locator("pre.hl-code").all();
  const shots = [];
  for (const block of blocks) shots.push(await block.screenshot({ animations: "disabled" }));
  return shots;
}

/** Pixels that differ between two PNGs, decoded by the browser. */
async function differingPixels(page, a, b) {
  return page.evaluate(async ([a, b]) => {
    const decode = async (base64) => {
      const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0);
      return context.getImageData(0, 0, image.width, image.height);
    };
    const [x, y] = [await decode(a), await decode(b)];
    if (x.width !== y.width || x.height !== y.height) return `size ${x.width}x${x.height} vs ${y.width}x${y.height}`;
    let differing = 0;
    for (let i = 0; i < x.data.length; i += 4) {
      if (x.data[i] !== y.data[i] || x.data[i + 1] !== y.data[i + 1] || x.data[i + 2] !== y.data[i + 2]) differing++;
    }
    return differing;
  }, [a.toString("base64"), b.toString("base64")]);
}

// bypassCSP lets MONOCHROME add its style tag; the pages are otherwise untouched.
const browser = await launch({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
let failures = 0;
let compared = 0;
try {
  const page = await browser.context.newPage();
  for (const path of PAGES) {
    for (const scheme of SCHEMES) {
      const old = await blockShots(page, new URL(path, before).href, scheme);
      const now = await blockShots(page, new URL(path, after).href, scheme);
      if (old.length !== now.length) {
        console.log(`${path} ${scheme.name}: ${old.length} blocks before, ${now.length} after`);
        failures++;
        continue;
      }
      let identical = 0;
      for (let i = 0; i < old.length; i++) {
        compared++;
        if (old[i].equals(now[i])) {
          identical++;
          continue;
        }
        const differing = await differingPixels(page, old[i], now[i]);
        if (differing === 0) identical++;
        else {
          failures++;
          console.log(`${path} ${scheme.name}: block ${i + 1} differs: ${differing} pixels`);
        }
      }
      console.log(`${path} ${scheme.name}: ${identical}/${old.length} blocks identical`);
    }
  }
} finally {
  await browser.close();
  for (const server of servers) await server.close();
}
console.log(`${compared} block screenshots compared, ${failures} differ`);
process.exit(failures ? 1 : 0);
