// How the benchmark starts Chromium (as root, headless, no background traffic, and as
// Playwright starts it for the other tests: a page of a headless browser is not a background
// tab whose timers and renderer get throttled). A fresh `profileDir` per load: no cache.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * Starts Chromium on `url` with a fresh profile folder and no DevTools connection (unless
 * `extraArgs` asks for one). Returns { pid, profileDir, stderr() (its last 4,000 characters),
 * close() (kills its process group, waits for it, removes the folder) }.
 */
export function startChromium(url, extraArgs = []) {
  const profileDir = mkdtempSync(join(tmpdir(), "fluence-bench-"));
  const child = spawn(process.env.CHROMIUM ?? "/usr/bin/chromium", [...chromiumArgs(profileDir), ...extraArgs, url], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  return {
    pid: child.pid,
    profileDir,
    stderr: () => stderr,
    close: async () => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", r)));
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
