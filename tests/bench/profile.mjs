// The diagnostic half of the benchmark: a Chromium CPU profile of fluence-client's sequential
// hello calls, aggregated by function (self time). Chromium is driven through its DevTools
// protocol directly, with only the `Profiler` domain enabled (Playwright enables the Network and
// Runtime domains, whose events cost more per call than the client itself), and apart from the
// measured loads. The package with its function names kept (target/pkg-names,
// scripts/build-pkg-names.sh) is profiled when it is there, so that wasm frames carry Rust
// names; else pkg/. Needs a global WebSocket (Node ≥ 22: scripts/bench.sh uses Node 24).
//   node tests/bench/profile.mjs [--calls N] [--pkg pkg]
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startRelay } from "../../scripts/relay-process.mjs";
import { serveRepo, root } from "../browser/harness.mjs";
import { startChromium } from "./chromium.mjs";
import { crateOf } from "./wasm-crates.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A minimal DevTools protocol client over one target's WebSocket. */
async function devtools(url) {
  const ws = new WebSocket(url);
  await new Promise((res, rej) => {
    ws.onopen = res;
    ws.onerror = () => rej(new Error(`DevTools WebSocket ${url} failed`));
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
    else p.resolve(msg.result);
  };
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        pending.set(++id, { resolve, reject, method });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Evaluates an async expression in the page; its value, or the page's exception. */
async function evaluate(cdp, expression) {
  const r = await cdp.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) {
    throw new Error(`page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
  }
  return r.result.value;
}

export async function profileOurs({ calls = 1000, intervalUs = 100, pkg } = {}) {
  pkg ??= existsSync(join(root, "target", "pkg-names", "index.js")) ? "target/pkg-names" : "pkg";
  const relay = await startRelay({ logLevel: "warn" });
  const server = await serveRepo();
  const chromium = startChromium(`${server.url}/tests/bench/profile.html`, ["--remote-debugging-port=0"]);
  let cdp;
  try {
    // Chromium writes its DevTools port into the profile folder.
    let port;
    for (let i = 0; i < 200 && !port; i++) {
      await sleep(50);
      try {
        port = readFileSync(join(chromium.profileDir, "DevToolsActivePort"), "utf8").split("\n")[0];
      } catch {}
    }
    if (!port) throw new Error("Chromium did not open its DevTools port");
    let target;
    for (let i = 0; i < 100 && !target; i++) {
      const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      target = list.find((t) => t.type === "page" && t.url.includes("/tests/bench/profile.html"));
      if (!target) await sleep(50);
    }
    if (!target) throw new Error("the profile page did not open");
    cdp = await devtools(target.webSocketDebuggerUrl);
    const setup = `(async () => {
      const api = await import("/${pkg}/index.js");
      const [air, defs] = await Promise.all([
        fetch("/tests/aqua/core/hello.air").then((r) => r.text()),
        fetch("/tests/aqua/core/defs.json").then((r) => r.json()),
      ]);
      const c = await api.createClient(${JSON.stringify(relay.addr)});
      window.hello = (msg) => api.v5_callFunction([c, msg], defs.functions.hello, air);
      for (let i = 0; i < 50; i++) await window.hello("warm" + i);
      return true;
    })()`;
    for (let i = 0; ; i++) {
      // The page may still be loading: retry until its document is there.
      try {
        await evaluate(cdp, setup);
        break;
      } catch (e) {
        if (i > 20) throw e;
        await sleep(100);
      }
    }
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: intervalUs });
    await cdp.send("Profiler.start");
    const t = Date.now();
    await evaluate(
      cdp,
      `(async () => {
        for (let i = 0; i < ${calls}; i++) {
          if ((await window.hello("m" + i)) !== "m" + i) throw new Error("hello returned a wrong value");
        }
      })()`,
    );
    const wallMs = Date.now() - t;
    const { profile } = await cdp.send("Profiler.stop");
    return { pkg, calls, intervalUs, wallMs, ...aggregate(profile) };
  } finally {
    cdp?.close();
    await chromium.close();
    await server.close();
    await relay.stop();
  }
}

/** Self time per function: { totalMs, idlePct, top: [{ name, ms, pct (of busy time) }] }. */
export function aggregate(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const f = byId.get(id).callFrame;
    const where = f.url ? ` (${f.url.split("/").pop()})` : "";
    // Rust symbols end in a hash (::h0123…): two copies of a generic function are one entry.
    const name = `${(f.functionName || "(anonymous)").replace(/::h[0-9a-f]{16}$/, "")}${where}`;
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  const idle = self.get("(idle)") ?? 0;
  const busy = total - idle;
  const top = [...self]
    .filter(([name]) => name !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, ms]) => ({ name, ms, pct: (100 * ms) / busy }));
  // The same self time grouped by where it runs: a Rust crate of the wasm, JS, the browser.
  const groups = new Map();
  for (const [name, ms] of self) {
    if (name === "(idle)") continue;
    const g = name.endsWith("(fluence_client_bg.wasm)")
      ? `wasm: ${crateOf(name)}`
      : / \([^()]*\.js\)$/.test(name)
        ? "JS of the package"
        : name.startsWith("(")
          ? name
          : `browser built-in: ${name.split(" ")[0]}`;
    groups.set(g, (groups.get(g) ?? 0) + ms);
  }
  const byGroup = [...groups].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms, pct: (100 * ms) / busy }));
  return { totalMs: total, busyMs: busy, idlePct: (100 * idle) / total, top, byGroup };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--calls");
  const k = process.argv.indexOf("--pkg");
  const p = await profileOurs({ calls: i > 0 ? Number(process.argv[i + 1]) : 1000, pkg: k > 0 ? process.argv[k + 1] : undefined });
  console.log(
    `profile of ${p.calls} sequential calls (${p.pkg}): ${p.wallMs} ms, ${p.totalMs.toFixed(0)} ms sampled, ${p.idlePct.toFixed(0)}% idle, ` +
      `${(p.busyMs / p.calls).toFixed(2)} ms busy per call`,
  );
  for (const f of p.top) console.log(`  ${f.ms.toFixed(1).padStart(8)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`);
  console.log("by crate / place:");
  for (const f of p.byGroup.slice(0, 20)) console.log(`  ${f.ms.toFixed(1).padStart(8)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`);
}
