// The benchmark page: the same logic and the same Aqua-compiled AIR for both clients, written
// against the API both packages share (createClient, v5_callFunction, v5_registerService).
// It reports to the bench server (tests/bench/bench.mjs) with POST /bench/mark: the server
// samples CPU (/proc) and memory at each mark and replies, so a phase starts after its sample.
const q = new URLSearchParams(location.search);
const client = q.get("client"); // "js" (the official js-client 0.9.0) or "ours"
const relay = q.get("relay");
const n = (name) => Number(q.get(name));
const load = q.get("load");

async function mark(phase, data = {}) {
  const res = await fetch("/bench/mark", {
    method: "POST",
    body: JSON.stringify({ load, phase, data }),
  });
  if (!res.ok) throw new Error(`mark ${phase}: HTTP ${res.status}`);
}

// The longest main-thread task (Long Tasks API: tasks over 50 ms), per phase.
let longest = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
}).observe({ type: "longtask", buffered: true });
const takeLongest = () => {
  const l = longest;
  longest = 0;
  return l;
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `count` calls `call(i)` one after the other: each one's latency, and the whole time. */
async function timed(count, call) {
  const latencies = [];
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    const s = performance.now();
    await call(i);
    latencies.push(performance.now() - s);
  }
  return { latencies, ms: performance.now() - t };
}

/** `call(i)` for i in [from, to), with `n("conc")` of them in flight at any time. */
async function inFlight(from, to, call) {
  let next = from;
  const one = async () => {
    while (next < to) await call(next++);
  };
  await Promise.all(Array.from({ length: n("conc") }, one));
}

async function main() {
  // js-client fetches AquaVM, marine and its worker from `CDNUrl` (served locally by the bench
  // server, as unpkg would); fluence-client needs no CDN.
  const api =
    client === "js"
      ? await import("/tests/node_modules/@fluencelabs/js-client/dist/browser/index.min.js")
      : await import("/pkg/index.js");
  const config = client === "js" ? { CDNUrl: `${location.origin}/cdn/` } : {};
  let a = await api.createClient(relay, config);
  const navToConnected = performance.now(); // from the navigation's start
  await mark("connected", { navToConnected, longestTask: takeLongest() });

  const [helloAir, sendAir, defs] = await Promise.all([
    fetch("/tests/aqua/core/hello.air").then((r) => r.text()),
    fetch("/tests/aqua/core/sendMessage.air").then((r) => r.text()),
    fetch("/tests/aqua/core/defs.json").then((r) => r.json()),
  ]);
  const hello = (c, msg) => api.v5_callFunction([c, msg], defs.functions.hello, helloAir);
  // `op.identity` on the relay: the answer must be the message.
  const echo = async (c, msg) => {
    const r = await hello(c, msg);
    if (r !== msg) throw new Error(`hello returned ${JSON.stringify(r)}`);
  };

  // A second client in the page, then the first one disconnected and connected again.
  let t = performance.now();
  const b = await api.createClient(relay, config);
  const secondConnect = performance.now() - t;
  await a.disconnect();
  t = performance.now();
  a = await api.createClient(relay, config);
  const reconnect = performance.now() - t;
  await mark("connects", { secondConnect, reconnect });

  // Sequential round trips: client → relay op.identity → client.
  for (let i = 0; i < 20; i++) await hello(a, `warm${i}`);
  takeLongest();
  await mark("seq-start");
  const seq = await timed(n("seq"), (i) => echo(a, `m${i}`));
  await mark("seq-end", { ...seq, calls: n("seq"), longestTask: takeLongest() });

  // `conc` calls in flight at any time, `inflight` in all, on a fresh client (js-client fails
  // after 999 calls on one connection; the last phase measures that).
  const c = await api.createClient(relay, config);
  await hello(c, "warm");
  takeLongest();
  await mark("inflight-start");
  const t1 = performance.now();
  await inFlight(0, n("inflight"), (i) => echo(c, `p${i}`));
  const inflightMs = performance.now() - t1;
  await mark("inflight-end", { ms: inflightMs, calls: n("inflight"), longestTask: takeLongest() });
  await c.disconnect();

  // A → relay → B's chat service → relay → A with B's receipt.
  const received = new Set();
  api.v5_registerService(
    [
      b,
      {
        receive: (msgId, from, text) => {
          received.add(msgId);
          return `got ${msgId} from ${from.slice(-6)}: ${text.length}`;
        },
      },
    ],
    defs.services.Chat,
  );
  const send = (msgId) =>
    api.v5_callFunction([a, b.getPeerId(), msgId, "hello there"], defs.functions.sendMessage, sendAir);
  for (let i = 0; i < 5; i++) await send(`warm${i}`);
  await mark("ab-start");
  const ab = await timed(n("ab"), async (i) => {
    const r = await send(`x${i}`);
    if (!r.startsWith(`got x${i} `)) throw new Error(`sendMessage returned ${JSON.stringify(r)}`);
  });
  if (received.size !== n("ab") + 5) throw new Error(`B received ${received.size} messages`);
  await mark("ab-end", { ...ab, calls: n("ab"), longestTask: takeLongest() });
  await b.disconnect();

  // Memory (--particles N): N more calls with `conc` in flight, the renderer's PSS before,
  // after, and once their TTL (7 s, both clients' default) has passed. fluence-client makes them
  // on one connection; js-client on a new one every 900 calls (it fails from its 1,000th).
  if (n("particles") > 0) {
    globalThis.gc?.();
    await sleep(500);
    await mark("mem-start");
    const batch = client === "js" ? 900 : n("particles");
    const t3 = performance.now();
    for (let start = 0; start < n("particles"); start += batch) {
      const m = await api.createClient(relay, config);
      await inFlight(start, Math.min(n("particles"), start + batch), (i) => echo(m, `q${i}`));
      await m.disconnect();
    }
    const memMs = performance.now() - t3;
    await mark("mem-end", { ms: memMs, calls: n("particles") });
    await sleep(9000);
    globalThis.gc?.();
    await sleep(1000);
    await mark("mem-after-ttl");
  }
  await a.disconnect();

  // Calls on one connection until the first failure (up to `limit`).
  let ok = 0;
  let failure = null;
  if (n("limit") > 0) {
    const d = await api.createClient(relay, config);
    for (; ok < n("limit"); ok++) {
      try {
        await echo(d, `l${ok}`);
      } catch (e) {
        failure = String(e?.message ?? e).slice(0, 200);
        break;
      }
    }
    await d.disconnect().catch(() => {});
  }
  await mark("done", { callsBeforeFailure: ok, failure, limit: n("limit") });
}

main().catch(async (e) => {
  try {
    await mark("error", { message: String(e?.stack ?? e) });
  } catch {}
});
