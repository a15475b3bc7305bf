// Calls through a loopback TCP proxy that cuts the client's connection to the relay at
// random points (any byte: during the WebSocket upgrade, the noise handshake, mid-frame),
// with the package's Node entry (pkg/node.js) under Node 24.
//
//   tests/node_modules/node24/bin/node --expose-gc tests/faults/cutting-proxy.mjs [--calls 10000] [--in-flight 50] [--ttl 7000]
//
// Prints one line of figures and exits non-zero unless: every call settled exactly once
// (resolved with its own value, or rejected with a typed FluenceError), none was left
// pending TTL + 1 s after it started, and the JS heap after GC is back near its baseline.
// The bounded run (1,000 calls) is a test in tests/faults/faults.test.mjs.
import net from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startRelay } from "../../scripts/relay-process.mjs";

const root = join(import.meta.dirname, "..", "..");

/**
 * A TCP proxy to `port` on loopback. Each connection is cut (both sockets destroyed) once
 * `budget()` bytes have passed in either direction; with `blackhole`, it is frozen instead:
 * both sockets stay open and nothing more is forwarded either way (a relay that stops
 * answering, pings included). Resolves with { port, stats, close }.
 */
export function startCuttingProxy(port, budget, { blackhole = false } = {}) {
  const stats = { connections: 0, cuts: 0 };
  const sockets = new Set();
  const server = net.createServer((down) => {
    stats.connections++;
    const up = net.connect(port, "127.0.0.1");
    sockets.add(down).add(up);
    let left = budget();
    const cut = () => {
      if (down.destroyed && up.destroyed) return;
      stats.cuts++;
      down.destroy();
      up.destroy();
    };
    const pipe = (from, to) =>
      from.on("data", (chunk) => {
        if (left <= 0) return;
        if (chunk.length >= left) {
          // Forward the bytes before the cut point, then cut: mid-frame more often than not.
          if (blackhole) {
            to.write(chunk.subarray(0, left));
            stats.cuts++;
            left = 0;
            return;
          }
          to.write(chunk.subarray(0, left), cut);
          left = 0;
          return;
        }
        left -= chunk.length;
        to.write(chunk);
      });
    pipe(down, up);
    pipe(up, down);
    const end = () => {
      down.destroy();
      up.destroy();
      sockets.delete(down);
      sockets.delete(up);
    };
    for (const s of [down, up]) {
      s.on("error", end);
      s.on("close", end);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: server.address().port,
        stats,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(r));
        },
      }),
    ),
  );
}

/** A byte budget per connection: 1 in 5 cut early (upgrade, handshake, the first frames). */
export function randomBudget() {
  return Math.random() < 0.2 ? 1 + Math.floor(Math.random() * 3_000) : 3_000 + Math.floor(Math.random() * 120_000);
}

const gc = () => globalThis.gc?.();

/**
 * `calls` op.identity round trips, `inFlight` at a time, through a cutting proxy to a
 * fresh relay. Resolves with the figures; `problems` lists every broken promise rule. The
 * client logs at `logLevel` ("error": each cut makes a few "send failed" warnings).
 */
export async function runCuttingCalls({ calls = 1_000, inFlight = 50, ttlMs = 7_000, logLevel = "error" } = {}) {
  const fc = await import(pathToFileURL(join(root, "pkg", "node.js")).href);
  const relay = await startRelay({ logLevel: "warn" });
  const proxy = await startCuttingProxy(relay.port, randomBudget);
  const addr = `/ip4/127.0.0.1/tcp/${proxy.port}/ws/p2p/${relay.peerId}`;
  const problems = [];
  const settled = new Array(calls).fill(0);
  const outcome = {};
  let client;
  try {
    // Connecting is cut too: try until a connect gets through.
    for (let attempt = 1; !client; attempt++) {
      try {
        client = await fc.FluenceClient.connect(addr, { defaultTtlMs: ttlMs, dialTimeoutMs: 3_000, logLevel });
      } catch (e) {
        if (!(e instanceof fc.FluenceError) || attempt > 50) throw e;
      }
    }
    const script = (i) =>
      `(seq (call "${relay.peerId}" ("op" "identity") [${i}] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`;
    gc();
    const baseline = process.memoryUsage();
    const started = new Array(calls);
    let next = 0;
    let lastStart = 0;
    const one = async () => {
      while (next < calls) {
        const i = next++;
        started[i] = performance.now();
        lastStart = started[i];
        let kind;
        try {
          const v = await client.callAir(script(i));
          kind = v === i ? "resolved" : `resolved with another call's value (${v})`;
          if (v !== i) problems.push(`call ${i} resolved with ${v}`);
        } catch (e) {
          kind = e instanceof fc.FluenceError ? e.code : `untyped ${e}`;
          if (!(e instanceof fc.FluenceError)) problems.push(`call ${i} rejected untyped: ${e}`);
        }
        settled[i]++;
        const took = performance.now() - started[i];
        if (took > ttlMs + 1_000) problems.push(`call ${i} settled after ${Math.round(took)} ms`);
        outcome[kind] = (outcome[kind] ?? 0) + 1;
      }
    };
    const t0 = performance.now();
    const workers = Array.from({ length: inFlight }, one);
    // Every promise must settle within TTL + 1 s of its start: wait no longer than that
    // after the last start.
    const all = Promise.all(workers);
    for (;;) {
      const limit = lastStart + ttlMs + 1_000 - performance.now();
      const done = await Promise.race([all.then(() => true), new Promise((r) => setTimeout(() => r(false), Math.max(limit, 0) + 50))]);
      if (done) break;
      if (performance.now() > lastStart + ttlMs + 1_000) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const pending = settled.filter((n) => n === 0).length;
    const twice = settled.filter((n) => n > 1).length;
    if (pending) problems.push(`${pending} promises still pending TTL + 1 s after their start`);
    if (twice) problems.push(`${twice} calls settled more than once`);
    // Memory: the particles' TTL has passed; what they held must be gone.
    await new Promise((r) => setTimeout(r, ttlMs + 500));
    gc();
    const end = process.memoryUsage();
    const heapGrowthMb = (end.heapUsed - baseline.heapUsed) / 2 ** 20;
    if (globalThis.gc && heapGrowthMb > 16) problems.push(`JS heap grew by ${heapGrowthMb.toFixed(1)} MB`);
    return {
      calls,
      inFlight,
      ttlMs,
      seconds,
      outcome,
      connections: proxy.stats.connections,
      cuts: proxy.stats.cuts,
      heapMb: [baseline.heapUsed, end.heapUsed].map((b) => +(b / 2 ** 20).toFixed(1)),
      rssMb: [baseline.rss, end.rss].map((b) => Math.round(b / 2 ** 20)),
      problems,
    };
  } finally {
    await client?.disconnect().catch(() => {});
    await proxy.close();
    await relay.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  const r = await runCuttingCalls({ calls: arg("--calls", 10_000), inFlight: arg("--in-flight", 50), ttlMs: arg("--ttl", 7_000) });
  console.log(
    `cutting proxy: ${r.calls} calls, ${r.inFlight} in flight, ttl ${r.ttlMs} ms, ${r.seconds.toFixed(1)} s; ` +
      `${r.cuts} cuts over ${r.connections} connections; outcomes ${JSON.stringify(r.outcome)}; ` +
      `JS heap ${r.heapMb[0]} → ${r.heapMb[1]} MB, RSS ${r.rssMb[0]} → ${r.rssMb[1]} MB; ` +
      `${r.problems.length ? "PROBLEMS: " + r.problems.slice(0, 10).join("; ") : "0 pending, 0 settled twice"}`,
  );
  process.exit(r.problems.length ? 1 : 0);
}
