// Helpers for browser tests: a static server for the repository (so a page can import
// /pkg/fluence_client.js, the package as users load it) and headless Chromium via
// playwright-core driving Debian's /usr/bin/chromium.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const types = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".air": "text/plain",
  ".css": "text/css",
};

/** Serves the repository read-only on 127.0.0.1; resolves with { url, close }. */
export function serveRepo() {
  return serveDir(root);
}

/** Serves `dir` read-only on 127.0.0.1 (`/` is index.html); resolves with { url, close }. */
export function serveDir(dir) {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.includes("..")) return res.writeHead(400).end();
    if (path.endsWith("/")) path += "index.html";
    try {
      const body = await readFile(join(dir, path));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

/** Headless Chromium as root, with no background network traffic. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Opens the test page; `window.fc` is the package module, initialised. */
export async function openPage(browser, base) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(`${base}/tests/browser/page.html`);
  await page.waitForFunction(() => window.fcReady === true || window.fcError, null, { timeout: 30_000 });
  const err = await page.evaluate(() => window.fcError ?? null);
  if (err) throw new Error(`the package failed to load: ${err}`);
  return page;
}

/**
 * What most browser tests need: a relay, the repository served, headless Chromium.
 * Resolves with { relay, server, browser, close } (close stops all three).
 */
export async function browserEnv() {
  const { startRelay } = await import("../relay/relay-process.mjs");
  const env = { relay: await startRelay(), server: await serveRepo(), browser: await launchChromium() };
  env.close = async () => {
    await env.browser.close();
    await env.server.close();
    await env.relay.stop();
  };
  return env;
}
