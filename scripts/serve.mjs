// A small read-only static file server on 127.0.0.1, used by the demo (scripts/demo.mjs)
// and by the browser tests. `routes` adds fixed responses: { "/path": { type, body } }.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".air": "text/plain; charset=utf-8",
  ".aqua": "text/plain; charset=utf-8",
};

/**
 * Serves `dir` (`/` → index.html); resolves with { url, port, close }. Options: `routes`;
 * `handle(req, res)` answers a request itself when it resolves true (before anything else);
 * `fileOf(path)` maps a URL path to a file (default: under `dir`); `onFile(path, body)` sees
 * each file sent; `cacheControl` (default "no-cache").
 */
export function serveDir(
  dir,
  { port = 0, routes = {}, handle, fileOf = (path) => join(dir, path), onFile, cacheControl = "no-cache" } = {},
) {
  const server = createServer(async (req, res) => {
    if (handle && (await handle(req, res))) return;
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.includes("..")) return res.writeHead(400).end();
    const route = routes[path];
    if (route) {
      res.writeHead(200, { "content-type": route.type, "cache-control": "no-store" });
      return res.end(route.body);
    }
    if (path.endsWith("/")) path += "index.html";
    try {
      const body = await readFile(fileOf(path));
      onFile?.(path, body);
      res.writeHead(200, {
        "content-type": types[extname(path)] ?? "application/octet-stream",
        "cache-control": cacheControl,
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        port: server.address().port,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(r);
          }),
      }),
    );
  });
}
