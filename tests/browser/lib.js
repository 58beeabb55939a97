// Shared helpers for the browser tests: build the guide with the real binary,
// serve it on 127.0.0.1 with a tiny static server, launch Debian's Chromium.
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json",
  ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml", ".ico": "image/x-icon", ".png": "image/png",
};
const COMPRESSIBLE = new Set([".html", ".css", ".js", ".json", ".xml", ".txt", ".svg"]);

/** A static server for `root` on 127.0.0.1, like GitHub Pages: gzip, 404.html. */
function serve(root) {
  const server = createServer((request, response) => {
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    let status = 200;
    if (!existsSync(file) || !statSync(file).isFile()) {
      status = 404;
      file = join(root, "404.html");
    }
    const extension = extname(file);
    const headers = { "Content-Type": TYPES[extension] || "application/octet-stream" };
    headers["Cache-Control"] = file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache";
    const gzip = COMPRESSIBLE.has(extension) && /\bgzip\b/.test(request.headers["accept-encoding"] || "");
    if (gzip) headers["Content-Encoding"] = "gzip";
    response.writeHead(status, headers);
    if (request.method === "HEAD") {
      response.end();
      return;
    }
    const stream = createReadStream(file);
    (gzip ? stream.pipe(createGzip()) : stream).pipe(response);
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

/**
 * Build the guide (or the site in `siteRoot`, relative to the repository,
 * e.g. a fixture) into a temporary folder and serve it. The base URL names
 * the port, so the server listens first and the build follows.
 * Returns { url(path), root, close() }.
 */
export async function startSite({ siteRoot } = {}) {
  const root = mkdtempSync(join(tmpdir(), "djguide-site-"));
  const output = join(root, "public");
  const server = await serve(output);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const rootArgs = siteRoot ? ["--root", resolve(REPO, siteRoot)] : [];
  const build = spawnSync(
    "cargo",
    ["run", "--release", "--quiet", "--", "build", ...rootArgs, "--output", output, "--base-url", base],
    { cwd: REPO, encoding: "utf8" },
  );
  if (build.status !== 0) {
    server.close();
    throw new Error(`djguide build failed:\n${build.stdout}\n${build.stderr}`);
  }
  return {
    base,
    output,
    url: (path = "") => base + path.replace(/^\//, ""),
    close: () => {
      server.closeAllConnections?.();
      server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A fresh browser profile per launch; returns { context, close() }. */
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "djguide-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page that fails the test on any console error or uncaught exception. */
export async function strictPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.problems = problems;
  return page;
}

/** One page of every kind, as paths relative to the site root. */
export const PAGE_KINDS = {
  home: "",
  topic: "orm/",
  question: "orm/n-plus-one/",
  level: "levels/mid/",
  questions: "questions/",
  tags: "tags/",
  changes: "changes/",
  tag: "tags/performance/",
  search: "search/?q=select_related",
  "404": "no/such/page/",
};

/**
 * Build and serve the guide and launch a browser once for a test file
 * (`launchOptions` as for `launch`, `siteOptions` as for `startSite`); both
 * are closed after its tests.
 * Returns an object whose `site` and `browser` are set before the tests run.
 */
export function withSiteAndBrowser(launchOptions = {}, siteOptions = {}) {
  const env = {};
  before(async () => {
    env.site = await startSite(siteOptions);
    env.browser = await launch(launchOptions);
  });
  after(async () => {
    await env.browser?.close();
    env.site?.close();
  });
  return env;
}

/**
 * Every HTML page of a built site, as paths relative to its root the way a
 * reader's URL names them ("orm/n-plus-one/", "404.html"), sorted.
 */
export function builtPages(output) {
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".html")) pages.push(relative(output, path).split(sep).join("/").replace(/(^|\/)index\.html$/, "$1"));
    }
  };
  walk(output);
  return pages.sort();
}
