// Faults at scale (issue 13), bounded for the test command: 1,000 calls through a proxy
// that cuts the connection at random points. The 10,000-call run: RELIABILITY.md.
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
