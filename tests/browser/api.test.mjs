// The package's JS surface as users import it from pkg/: the exported FluenceError class,
// logLevel routing tracing output to the console; the WebSocket messages a call costs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { browserEnv, openPage, root } from "./harness.mjs";

let env, relay, server, browser;
const hello = readFileSync(join(root, "tests", "aqua", "core", "hello.air"), "utf8");
before(async () => {
  env = await browserEnv();
  ({ relay, server, browser } = env);
});
after(() => env?.close());

test("rejections are instances of the exported FluenceError", async () => {
  const page = await openPage(browser, server.url);
  const r = await page.evaluate(async (addr) => {
    const out = {};
    const grab = async (p) => {
      try {
        await p;
        return null;
      } catch (e) {
        return { isFluenceError: e instanceof fc.FluenceError, isError: e instanceof Error,
                 name: e.name, code: e.code, particleId: e.particleId, relay: e.relay, message: e.message };
      }
    };
    out.badAddr = await grab(fc.FluenceClient.connect("nonsense", {}));
    out.badLevel = await grab(fc.FluenceClient.connect(addr, { logLevel: "loud" }));
    const dead = "/ip4/127.0.0.1/tcp/9/ws/p2p/" + fc.KeyPair.random().peerId;
    out.dead = await grab(fc.FluenceClient.connect(dead, { dialTimeoutMs: 3000 }));
    const c = await fc.FluenceClient.connect(addr, {});
    out.ttl = await grab(c.callAir(
      `(call "${fc.KeyPair.random().peerId}" ("op" "noop") [])`, {}, { ttlMs: 1000 }));
    await c.disconnect();
    out.badSeed = await grab((async () => fc.KeyPair.fromSeed(new Uint8Array(5)))());
    return out;
  }, relay.addr);
  for (const [k, e] of Object.entries(r)) {
    assert.ok(e, `${k} should reject`);
    assert.equal(e.isFluenceError, true, k);
    assert.equal(e.isError, true, k);
    assert.equal(e.name, "FluenceError", k);
  }
  assert.equal(r.badAddr.code, "INVALID_ARGUMENT");
  assert.equal(r.badLevel.code, "INVALID_ARGUMENT");
  assert.match(r.badLevel.message, /logLevel/);
  assert.equal(r.dead.code, "CONNECTION");
  assert.match(r.dead.relay, /\/tcp\/9\/ws\/p2p\//);
  assert.equal(r.ttl.code, "TTL_EXPIRED");
  assert.equal(typeof r.ttl.particleId, "string");
  assert.equal(r.badSeed.code, "INVALID_ARGUMENT");
  await page.close();
});

test("logLevel sends the client's logs to the console at that level", async () => {
  const lines = async (level) => {
    const page = await openPage(browser, server.url);
    const seen = [];
    page.on("console", (m) => seen.push(`${m.type()}: ${m.text()}`));
    await page.evaluate(async ({ addr, level }) => {
      const c = await fc.FluenceClient.connect(addr, { logLevel: level });
      await c.disconnect();
    }, { addr: relay.addr, level });
    await page.close();
    return seen;
  };
  const info = await lines("info");
  assert.ok(info.some((l) => l.startsWith("info: ") && l.includes("connected to the relay")), info.join("\n"));
  const warn = await lines("warn");
  assert.ok(!warn.some((l) => l.includes("connected to the relay")), warn.join("\n"));
});

test("1,000 calls in flight on one connection are all answered, no stream dropped on the way", async () => {
  // The particle streams' flow control (multistream-select V1: a frame goes out once the
  // other side has taken its stream). With the frame sent at once (V1Lazy) the relay's
  // answers outran the page and libp2p-yamux dropped ~300 of them ("dropping stream because
  // buffer is full"): those calls expired.
  const page = await openPage(browser, server.url);
  const warnings = [];
  page.on("console", (m) => {
    if (m.type() === "warning" || m.type() === "error") warnings.push(m.text());
  });
  const r = await page.evaluate(async ({ addr, hello }) => {
    const c = await fc.FluenceClient.connect(addr, { logLevel: "warn" });
    const calls = [];
    for (let k = 0; k < 1000; k++) {
      calls.push(c.callAir(hello, { msg: `m${k}` }, { ttlMs: 20_000 }).then((v) => v === `m${k}` || `wrong: ${v}`, (e) => String(e)));
    }
    const res = await Promise.all(calls);
    await c.disconnect();
    const bad = res.filter((v) => v !== true);
    return { bad: bad.length, first: bad[0] };
  }, { addr: relay.addr, hello });
  assert.equal(r.bad, 0, `${r.bad} of 1000 calls failed, the first: ${r.first}`);
  assert.deepEqual(warnings.filter((w) => /dropping stream|dropped|not sent/.test(w)), []);
  await page.close();
});

test("a hello round trip costs the page three WebSocket messages", async () => {
  // Two for the particle out: its substream opened with the protocol proposed, then (once the
  // relay has confirmed it: multistream-select V1, the particle streams' flow control) the
  // frame and the close; one for the particle back: the protocol confirmed and the close of
  // the client's side together. A round trip more per particle, or writes no longer gathered
  // per task, shows here.
  const page = await openPage(browser, server.url);
  const r = await page.evaluate(async ({ addr, hello }) => {
    let sends = 0;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      sends++;
      return send.call(this, data);
    };
    const c = await fc.FluenceClient.connect(addr, {});
    for (let i = 0; i < 5; i++) await c.callAir(hello, { msg: `warm ${i}` });
    const before = sends;
    const calls = 100;
    for (let i = 0; i < calls; i++) {
      if ((await c.callAir(hello, { msg: `m${i}` })) !== `m${i}`) throw new Error("wrong echo");
    }
    const perCall = (sends - before) / calls;
    await c.disconnect();
    return { perCall };
  }, { addr: relay.addr, hello });
  // A few yamux window updates and pings come on top over 100 calls.
  assert.ok(r.perCall >= 3 && r.perCall <= 3.2, `WebSocket messages per call: ${r.perCall}`);
  await page.close();
});
