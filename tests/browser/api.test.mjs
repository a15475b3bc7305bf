// The package's JS surface as users import it from pkg/: the exported FluenceError class,
// logLevel routing tracing output to the console; the WebSocket messages a call costs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { browserEnv, openPage, root } from "./harness.mjs";

let env, relay, server, browser;
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

test("a hello round trip costs the page two WebSocket messages", async () => {
  // One for the particle out (its substream opened, the protocol chosen, the frame and the
  // close, all at once: V1Lazy), one for the particle back (the protocol confirmed and the
  // close). A round trip more per particle, or writes no longer gathered per task, shows here.
  const hello = readFileSync(join(root, "tests", "aqua", "core", "hello.air"), "utf8");
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
  assert.ok(r.perCall >= 2 && r.perCall <= 2.2, `WebSocket messages per call: ${r.perCall}`);
  await page.close();
});
