// Hardening of the browser client (issue 13), from pkg/ in headless Chromium against the
// relay binary: a page clock minutes off the relay's, local service handlers that fail
// in every way a JS function can, and the relay SIGKILLed with 100 calls in flight.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { browserEnv, openPage } from "./harness.mjs";

let env, browser, server;
before(async () => {
  env = await browserEnv({ secretKey: "Mu7UyyXRspCuOMdG/9jSo9WnOTtn7BsrKFAyZEafr/w=" });
  ({ server, browser } = env);
});
after(() => env?.close());

/** A page whose clock (Date.now) is `offsetMs` off the machine's. */
async function pageWithClock(offsetMs) {
  const page = await openPage(browser, server.url);
  await page.evaluate((off) => {
    const real = Date.now.bind(Date);
    Date.now = () => real() + off;
  }, offsetMs);
  return page;
}

test("a clock minutes off the relay's fails connect with a typed CLOCK_SKEW error naming both times; 30 s off warns and works", async () => {
  const connect = (page, config = {}) =>
    page.evaluate(async ({ addr, config }) => {
      try {
        const c = await fc.FluenceClient.connect(addr, config);
        const echoed = await c.callAir(
          `(seq (call "${c.relayPeerId}" ("op" "identity") ["hi"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`);
        await c.disconnect();
        return { ok: true, echoed };
      } catch (e) {
        return { ok: false, code: e.code, message: e.message, isFluenceError: e instanceof fc.FluenceError };
      }
    }, { addr: env.relay.addr, config });

  for (const [offset, relayIs] of [[5 * 60_000, "behind"], [-5 * 60_000, "ahead of"]]) {
    const page = await pageWithClock(offset);
    const r = await connect(page);
    assert.equal(r.ok, false, `offset ${offset}: connect should fail`);
    assert.equal(r.code, "CLOCK_SKEW", r.message);
    console.log(`page clock ${offset / 1000} s off: ${r.code}: ${r.message}`);
    assert.equal(r.isFluenceError, true);
    assert.match(r.message, new RegExp(`the relay's clock is \\d+ ms ${relayIs} this machine's`));
    assert.match(r.message, /relay \d{4}-\d\d-\d\dT[\d:.]+Z, here \d{4}-\d\d-\d\dT[\d:.]+Z; measured at connect/);
    assert.match(r.message, /beyond the allowance of 60000 ms/);
    assert.match(r.message, /clockSkewAllowanceMs/);
    const measured = Number(/clock is (\d+) ms/.exec(r.message)[1]);
    assert.ok(Math.abs(measured - 5 * 60_000) < 2_000, `measured ${measured} ms for ${offset}`);
    // Raising the allowance lets a client that lags behind connect; its calls carry the
    // lag in their age, and a long enough TTL covers it.
    if (offset < 0) {
      const ok = await page.evaluate(async (addr) => {
        const c = await fc.FluenceClient.connect(addr, { clockSkewAllowanceMs: 600_000 });
        const r = await c.callAir(
          `(seq (call "${c.relayPeerId}" ("op" "identity") ["late"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`,
          {}, { ttlMs: 400_000 });
        await c.disconnect();
        return r;
      }, env.relay.addr);
      assert.equal(ok, "late");
    }
    await page.close();
  }

  const page = await pageWithClock(30_000);
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  const r = await connect(page);
  assert.deepEqual(r, { ok: true, echoed: "hi" });
  assert.ok(warnings.some((w) => /the relay's clock is \d+ ms behind this machine's/.test(w)), warnings.join("\n"));
  await page.close();

  // A bad allowance is a typed argument error.
  const p2 = await openPage(browser, server.url);
  const bad = await connect(p2, { clockSkewAllowanceMs: -1 });
  assert.equal(bad.code, "INVALID_ARGUMENT");
  assert.match(bad.message, /clockSkewAllowanceMs/);
  await p2.close();
});

test("service handlers that throw, reject, never settle, return undefined, a cyclic object, a BigInt or a function: a clear error for the caller each, and the client keeps working", async () => {
  const page = await openPage(browser, server.url);
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => /unreachable|RuntimeError|panicked/.test(m.text()) && problems.push(m.text()));
  const r = await page.evaluate(async (addr) => {
    const callee = await fc.FluenceClient.connect(addr, {});
    const caller = await fc.FluenceClient.connect(addr, {});
    const cyclic = {};
    cyclic.self = cyclic;
    callee.registerService("bad", {
      throws: () => { throw new Error("thrown on purpose"); },
      rejects: async () => { throw new Error("rejected on purpose"); },
      never: () => new Promise(() => {}),
      undef: () => undefined,
      cyclic: () => cyclic,
      bigint: () => 10n,
      fn: () => () => 1,
      good: (x) => `good ${x}`,
    });
    const call = async (fn, ttlMs = 5_000) => {
      const t0 = performance.now();
      const script = `
        (xor
          (seq
            (call "${caller.relayPeerId}" ("op" "noop") [])
            (seq
              (call "${callee.peerId}" ("bad" "${fn}") ["x"] r)
              (seq
                (call "${caller.relayPeerId}" ("op" "noop") [])
                (call %init_peer_id% ("callbackSrv" "response") [r]))))
          (seq
            (call "${caller.relayPeerId}" ("op" "noop") [])
            (call %init_peer_id% ("errorHandlingSrv" "error") [%last_error%])))`;
      try {
        return { ok: await caller.callAir(script, {}, { ttlMs }), ms: performance.now() - t0 };
      } catch (e) {
        return { code: e.code, message: e.message, ms: performance.now() - t0 };
      }
    };
    const out = {};
    for (const fn of ["throws", "rejects", "undef", "cyclic", "bigint", "fn"]) out[fn] = await call(fn);
    out.never = await call("never", 1_500);
    out.good = await call("good");
    out.callerStill = await caller.callAir(
      `(seq (call "${caller.relayPeerId}" ("op" "identity") ["still"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`);
    out.states = [callee.connectionState, caller.connectionState];
    await callee.disconnect();
    await caller.disconnect();
    return out;
  }, env.relay.addr);
  const failed = (fn, text) => {
    assert.equal(r[fn].code, "AQUA", `${fn}: ${JSON.stringify(r[fn])}`);
    // AquaVM quotes the handler's message as JSON inside its own.
    assert.match(r[fn].message, /Local service error, ret_code is 1, error message is '"Service call failed\. fnName=\\"[a-z]+\\" serviceId=\\"bad\\" error: /, fn);
    assert.match(r[fn].message, text, fn);
  };
  failed("throws", /thrown on purpose/);
  failed("rejects", /rejected on purpose/);
  failed("cyclic", /not JSON-serializable.*circular/i);
  failed("bigint", /not JSON-serializable.*BigInt/i);
  failed("fn", /not JSON-serializable/);
  // As js-client: a handler's undefined is null (a void function's result).
  assert.deepEqual(r.undef.ok, null, JSON.stringify(r.undef));
  // A handler that never settles: the caller's particle runs out at its TTL.
  assert.equal(r.never.code, "TTL_EXPIRED", JSON.stringify(r.never));
  assert.match(r.never.message, /Particle expired after ttl of 1500ms/);
  assert.ok(r.never.ms < 1_500 + 1_000, `settled after ${r.never.ms} ms`);
  assert.equal(r.good.ok, "good x");
  assert.equal(r.callerStill, "still");
  assert.deepEqual(r.states, ["connected", "connected"]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the relay SIGKILLed with 100 calls in flight: every promise settles within TTL + 1 s, typed; after the restart new calls work", async () => {
  const page = await openPage(browser, server.url);
  await page.evaluate(async (addr) => {
    window.client = await fc.FluenceClient.connect(addr, {});
    const c = window.client;
    // Each call waits 3 s on the relay (peer.timeout), so all 100 are in flight at the kill.
    const script = `(seq (call "${c.relayPeerId}" ("peer" "timeout") [3000 "waited"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`;
    window.t0 = performance.now();
    window.settled = [];
    for (let i = 0; i < 100; i++) {
      c.callAir(script, {}, { ttlMs: 5_000 }).then(
        (v) => window.settled.push({ ok: v, ms: performance.now() - window.t0 }),
        (e) => window.settled.push({ code: e.code, isFluenceError: e instanceof fc.FluenceError, ms: performance.now() - window.t0 }));
    }
  }, env.relay.addr);
  await new Promise((r) => setTimeout(r, 500));
  await env.restartRelay();
  await page.waitForFunction(() => window.settled.length === 100, null, { timeout: 5_000 + 1_000 + 2_000 });
  const r = await page.evaluate(async () => {
    const c = window.client;
    const deadline = Date.now() + 15_000;
    while (c.connectionState !== "connected" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const after = await c.callAir(
      `(seq (call "${c.relayPeerId}" ("op" "identity") ["after"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`);
    await c.disconnect();
    return { settled: window.settled, after };
  });
  assert.equal(r.settled.length, 100);
  const slowest = Math.max(...r.settled.map((s) => s.ms));
  assert.ok(slowest <= 5_000 + 1_000, `the slowest promise settled after ${slowest} ms`);
  const kinds = {};
  for (const s of r.settled) {
    const kind = "ok" in s ? `resolved ${s.ok}` : s.code;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    if (!("ok" in s)) {
      assert.equal(s.isFluenceError, true);
      assert.ok(["TTL_EXPIRED", "CONNECTION", "SEND"].includes(s.code), s.code);
    }
  }
  console.log(`relay SIGKILL with 100 in flight: ${JSON.stringify(kinds)}, slowest settled after ${Math.round(slowest)} ms (TTL 5000 ms)`);
  assert.equal(r.after, "after");
  await page.close();
});
