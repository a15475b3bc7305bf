// How the benchmark starts Chromium (as root, headless, no background traffic, and as
// Playwright starts it for the other tests: a page of a headless browser is not a background
// tab whose timers and renderer get throttled). A fresh `profileDir` per load: no cache.
import { chromiumFlags } from "../browser/harness.mjs";

export function chromiumArgs(profileDir) {
  return [
    ...chromiumFlags,
    "--disable-extensions",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-ipc-flooding-protection",
    "--disable-hang-monitor",
    "--disable-breakpad",
    "--disable-default-apps",
    "--no-default-browser-check",
    "--mute-audio",
    // `gc()` for the memory phase, before each PSS sample.
    "--js-flags=--expose-gc",
    `--user-data-dir=${profileDir}`,
  ];
}
