// The package's JS surface as users import it from pkg/: the exported FluenceError class,
// logLevel routing tracing output to the console.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { browserEnv, openPage } from "./harness.mjs";

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
