// Helpers for browser tests: a static server for the repository (so a page can import
// /pkg/fluence_client.js, the package as users load it) and headless Chromium via
// playwright-core driving Debian's /usr/bin/chromium.
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDir } from "../../scripts/serve.mjs";

export { serveDir };

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Serves the repository read-only on 127.0.0.1; resolves with { url, close }. */
export function serveRepo() {
  return serveDir(root);
}

/** Chromium's flags for the tests: headless, as root, with no background network traffic. */
export const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Headless Chromium as root, with no background network traffic. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: chromiumFlags,
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
 * What most browser tests need: a relay (with `secretKey`, if given, so that it can be
 * restarted as the same peer), the repository served, headless Chromium. Resolves with
 * { relay, server, browser, restartRelay, close }: `restartRelay()` SIGKILLs the relay and
 * starts it again on the same port and key (`env.relay` is then the new one); close stops
 * all three.
 */
export async function browserEnv({ secretKey } = {}) {
  const { startRelay } = await import("../../scripts/relay-process.mjs");
  const env = { relay: await startRelay({ secretKey }), server: await serveRepo(), browser: await launchChromium() };
  env.restartRelay = async () => {
    await env.relay.kill();
    env.relay = await startRelay({ secretKey, wsPort: env.relay.port });
    return env.relay;
  };
  env.close = async () => {
    await env.browser.close();
    await env.server.close();
    await env.relay.stop();
  };
  return env;
}
