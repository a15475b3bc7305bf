// Faults (issue 13), bounded for the test command: 1,000 calls through a proxy that cuts
// the connection at random points (the 10,000-call run: RELIABILITY.md), and a relay that
// stops answering altogether.
// Run with Node 24 and --expose-gc (scripts/test.sh does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCuttingCalls } from "./cutting-proxy.mjs";

test("1,000 calls through a proxy cutting the connection at random points (mid-frame included): each settles once, none pending after TTL + 1 s, the heap back near its baseline", async () => {
  assert.ok(globalThis.gc, "run with --expose-gc");
  const r = await runCuttingCalls({ calls: 1_000, inFlight: 50, ttlMs: 3_000 });
  console.log(`cutting proxy: ${JSON.stringify(r)}`);
  assert.deepEqual(r.problems, []);
  assert.ok(r.cuts >= 3, `only ${r.cuts} cuts`);
  assert.ok((r.outcome.resolved ?? 0) > 0, "no call got through");
  const total = Object.values(r.outcome).reduce((a, b) => a + b, 0);
  assert.equal(total, 1_000);
  for (const code of Object.keys(r.outcome)) {
    assert.ok(["resolved", "TTL_EXPIRED", "SEND", "CONNECTION", "CANCELLED"].includes(code), code);
  }
});

test("a relay that stops answering (its connection black-holed, pings included): the client's ping fails, it closes the connection and re-dials, and the next call works", async () => {
  const { startRelay } = await import("../../scripts/relay-process.mjs");
  const { startCuttingProxy } = await import("./cutting-proxy.mjs");
  const { join } = await import("node:path");
  const { pathToFileURL } = await import("node:url");
  const fc = await import(pathToFileURL(join(import.meta.dirname, "..", "..", "pkg", "node.js")).href);
  const relay = await startRelay({ logLevel: "warn" });
  // The first connection freezes after 20 KB (well after the handshake); later ones pass.
  let first = true;
  const proxy = await startCuttingProxy(relay.port, () => (first ? ((first = false), 20_000) : Infinity), { blackhole: true });
  const lines = [];
  const log = console.warn;
  console.warn = (...a) => lines.push(a.join(" "));
  let client;
  try {
    client = await fc.FluenceClient.connect(`/ip4/127.0.0.1/tcp/${proxy.port}/ws/p2p/${relay.peerId}`, { logLevel: "warn" });
    const states = [];
    client.onConnectionStateChange((s) => states.push(s));
    const hello = (msg, ttlMs = 7_000) =>
      client.callAir(`(seq (call "${relay.peerId}" ("op" "identity") ["${msg}"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`, {}, { ttlMs });
    // Calls until the freeze swallows one.
    let i = 0;
    for (;;) {
      try {
        await hello(`before ${i++}`, 2_000);
      } catch (e) {
        assert.equal(e.code, "TTL_EXPIRED");
        break;
      }
    }
    assert.equal(proxy.stats.cuts, 1);
    const frozenAt = performance.now();
    // The client's ping (every 10 s, 10 s timeout) notices; it re-dials through the proxy.
    while (client.connectionState === "connected" && performance.now() - frozenAt < 60_000) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const noticedMs = performance.now() - frozenAt;
    const deadline = performance.now() + 20_000;
    while (client.connectionState !== "connected" && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(client.connectionState, "connected", `states: ${states.join(" → ")}`);
    assert.equal(await hello("after"), "after");
    console.log(`black-holed relay: noticed after ${Math.round(noticedMs)} ms; states ${states.join(" → ")}; ${proxy.stats.connections} connections`);
    assert.ok(states.includes("reconnecting"), states.join(" → "));
    assert.ok(lines.some((l) => /did not answer a ping/.test(l)), lines.join("\n"));
  } finally {
    console.warn = log;
    await client?.disconnect().catch(() => {});
    await proxy.close();
    await relay.stop();
  }
});
