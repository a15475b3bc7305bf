// How the benchmark starts Chromium (as root, headless, no background traffic, and as
// Playwright starts it for the other tests: a page of a headless browser is not a background
// tab whose timers and renderer get throttled). A fresh `profileDir` per load: no cache.
export function chromiumArgs(profileDir) {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
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
