// A small static file server for tests and benchmarks: 127.0.0.1 only,
// gzip for text when the client accepts it (as GitHub Pages does), and the
// site's 404.html for unknown paths.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
  ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8", ".wasm": "application/wasm",
  ".png": "image/png", ".woff2": "font/woff2",
};
const COMPRESSIBLE = /^(text\/|application\/(json|xml|wasm)|image\/svg)/;

/** Serve `root` on 127.0.0.1; resolves to { url, close }. Port 0 picks a free one. */
export async function serve(root, port = 0) {
  const server = createServer(async (request, response) => {
    try {
      let path = decodeURIComponent(new URL(request.url, "http://x").pathname);
      if (path.endsWith("/")) path += "index.html";
      const file = normalize(join(root, path));
      if (!file.startsWith(normalize(root) + sep)) throw new Error("outside");
      let body, status = 200;
      try {
        if ((await stat(file)).isDirectory()) throw new Error("dir");
        body = await readFile(file);
      } catch {
        status = 404;
        body = await readFile(join(root, "404.html")).catch(() => Buffer.from("not found"));
      }
      const type = status === 404 ? TYPES[".html"] : TYPES[extname(file)] || "application/octet-stream";
      const headers = { "content-type": type, "cache-control": "no-store" };
      if (COMPRESSIBLE.test(type) && /\bgzip\b/.test(request.headers["accept-encoding"] || "")) {
        body = gzipSync(body);
        headers["content-encoding"] = "gzip";
      }
      response.writeHead(status, headers).end(body);
    } catch {
      response.writeHead(400).end();
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address();
  return { url: `http://127.0.0.1:${actual}/`, close: () => new Promise((r) => server.close(r)) };
}
