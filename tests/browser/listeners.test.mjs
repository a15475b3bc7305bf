// Connection-state listeners may do anything a listener does in real apps: read
// `connectionState`, remove themselves, call `disconnect()`, start a call. None of it may
// panic the Wasm (`unreachable`) or log an error, and each listener sees what it should.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startRelay } from "../../scripts/relay-process.mjs";
import { serveRepo, launchChromium, openPage, root } from "./harness.mjs";

const hello = readFileSync(join(root, "tests", "aqua", "core", "hello.air"), "utf8");
const secretKey = randomBytes(32).toString("base64");
let relay, server, browser;

before(async () => {
  relay = await startRelay({ secretKey });
  server = await serveRepo();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await relay?.stop();
});

/** Opens the test page and records console errors and warnings. */
async function page() {
  const p = await openPage(browser, server.url);
  const problems = [];
  p.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
  });
  p.on("pageerror", (e) => problems.push(`pageerror: ${e}`));
  return { p, problems };
}

const noListenerTrouble = (problems) =>
  problems.filter((t) => /unreachable|listener threw|RuntimeError|already borrowed/i.test(t));

test("listeners that read connectionState, call their own off(), disconnect() and start a call", async () => {
  const { p, problems } = await page();
  await p.evaluate(async ({ addr, hello }) => {
    const c = await fc.FluenceClient.connect(addr, { dialTimeoutMs: 5000 });
    window.c = c;
    window.seen = { reads: [], once: [], disconnector: [], caller: [] };
    // Reads the state inside the callback.
    c.onConnectionStateChange((s) => window.seen.reads.push([s, c.connectionState]));
    // Removes itself on its first call.
    const off = c.onConnectionStateChange((s) => {
      window.seen.once.push(s);
      off();
    });
    // Disconnects as soon as the connection is lost.
    c.onConnectionStateChange((s) => {
      window.seen.disconnector.push(s);
      if (s === "reconnecting") window.disconnected = c.disconnect().then(() => "resolved");
    });
    // Starts a call from inside a listener, and adds a listener from inside one.
    c.onConnectionStateChange((s) => {
      window.seen.caller.push(s);
      if (s === "reconnecting") {
        window.inListenerCall = c
          .callAir(hello, { msg: "from a listener" }, { ttlMs: 3000 })
          .then((v) => ["resolved", v], (e) => ["rejected", e.code]);
        c.onConnectionStateChange((s2) => window.seen.caller.push(`late:${s2}`));
      }
    });
    return c.callAir(hello, { msg: "warm" });
  }, { addr: relay.addr, hello });

  await relay.kill();
  await p.waitForFunction(() => window.c.connectionState === "disconnected", null, { timeout: 15_000 });
  assert.equal(await p.evaluate(() => window.disconnected), "resolved");
  const seen = await p.evaluate(() => window.seen);
  assert.deepEqual(seen.reads, [
    ["reconnecting", "reconnecting"],
    ["disconnecting", "disconnecting"],
    ["disconnected", "disconnected"],
  ]);
  assert.deepEqual(seen.once, ["reconnecting"], "off() inside the listener removed it");
  assert.deepEqual(seen.disconnector, ["reconnecting", "disconnecting", "disconnected"]);
  assert.deepEqual(seen.caller, ["reconnecting", "disconnecting", "late:disconnecting", "disconnected", "late:disconnected"]);
  const [how, code] = await p.evaluate(() => window.inListenerCall);
  assert.equal(how, "rejected", "the client was disconnected before the call could be sent");
  assert.equal(code, "CANCELLED");
  assert.deepEqual(noListenerTrouble(problems), []);
  await p.close();
  relay = await startRelay({ wsPort: relay.port, secretKey });
});

test("a listener removed by an earlier listener in the same change is not called", async () => {
  const { p, problems } = await page();
  const calls = await p.evaluate(async ({ addr }) => {
    const c = await fc.FluenceClient.connect(addr);
    const calls = [];
    let offSecond;
    c.onConnectionStateChange((s) => {
      calls.push(`first:${s}`);
      offSecond?.();
    });
    offSecond = c.onConnectionStateChange((s) => calls.push(`second:${s}`));
    await c.disconnect();
    // off() after disconnect and twice is harmless.
    offSecond();
    offSecond();
    return calls;
  }, { addr: relay.addr });
  assert.deepEqual(calls, ["first:disconnecting", "first:disconnected"]);
  assert.deepEqual(noListenerTrouble(problems), []);
  await p.close();
});
