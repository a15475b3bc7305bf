// The client in Web Workers, in headless Chromium: (1) an app's own module worker that
// imports the package (op.identity on the relay, a service, a relay restart); (2) the
// page-side proxy `connectInWorker` (the package's worker.js): the FluenceClient surface,
// handlers and callbacks run in the page with their call params, errors cross as
// FluenceErrors with code, particle id and relay, reconnect, disconnect.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { browserEnv, openPage, root } from "./harness.mjs";

const aquaDir = join(root, "tests", "aqua", "core");
const air = (name) => readFileSync(join(aquaDir, `${name}.air`), "utf8");
let env, relay, server, browser;

before(async () => {
  env = await browserEnv({ secretKey: randomBytes(32).toString("base64") });
  ({ relay, server, browser } = env);
});
after(() => env?.close());

async function restartRelay() {
  relay = await env.restartRelay();
}

/** A page whose console errors and uncaught errors are collected in `problems`. */
async function watchedPage() {
  const page = await openPage(browser, server.url);
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
  return { page, problems };
}

test("an app's own module worker: the package inside it connects, serves a service, calls the relay, reconnects", async () => {
  const { page, problems } = await watchedPage();
  const { peerId, inWorker } = await page.evaluate(async (addr) => {
    const w = new Worker("/tests/browser/worker-direct.js", { type: "module" });
    let next = 1;
    const waiting = new Map();
    w.onmessage = ({ data }) => waiting.get(data.id)?.(data);
    window.ask = (op, args = {}) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, (d) => (d.ok ? resolve(d.value) : reject(Object.assign(new Error(d.error.message), d.error))));
        w.postMessage({ id, op, ...args });
      });
    return window.ask("connect", { relay: addr });
  }, relay.addr);
  assert.ok(inWorker, "the client did not run in a worker");
  assert.match(peerId, /^12D3KooW/);
  const hello = (msg) => page.evaluate(({ script, msg }) => window.ask("call", { script, args: { msg } }), { script: air("hello"), msg });
  assert.equal(await hello("from a worker"), "from a worker");

  // A main-thread client of the page calls the worker's service through the relay.
  const receipt = await page.evaluate(async ({ addr, script, peer }) => {
    window.main = await fc.FluenceClient.connect(addr);
    return window.main.callAir(script, { peer, msgId: "w-1", text: "to the worker" });
  }, { addr: relay.addr, script: air("sendMessage"), peer: peerId });
  assert.equal(receipt, "worker got w-1");

  await restartRelay();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const s = await page.evaluate(() => window.ask("status"));
    if (s.state === "connected" && s.states.includes("reconnecting")) break;
    assert.ok(Date.now() < deadline, `the worker's client did not reconnect: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await hello("after the restart"), "after the restart");
  const { inbox } = await page.evaluate(() => window.ask("status"));
  assert.equal(inbox.length, 1);
  await page.evaluate(() => Promise.all([window.ask("disconnect"), window.main.disconnect()]));
  assert.deepEqual(problems, []);
  await page.close();
});

test("connectInWorker: the FluenceClient surface from the page, the client in the package's worker", async () => {
  const { page, problems } = await watchedPage();
  const r = await page.evaluate(async ({ addr, hello, sendMessage }) => {
    const { connectInWorker, WorkerClient, FluenceError, FluenceClient } = await import("/pkg/index.js");
    const out = {};
    const c = await connectInWorker(addr, { defaultTtlMs: 5000 });
    window.proxy = c;
    out.isProxy = c instanceof WorkerClient;
    out.ids = [c.peerId, c.getPeerId() === c.peerId, c.relayPeerId, c.getRelayPeerId() === c.relayPeerId];
    out.state = c.connectionState;
    window.proxyStates = [];
    const off = c.onConnectionStateChange((s) => window.proxyStates.push(s));
    out.offString = String(off);
    out.hello = await c.callAir(hello, { msg: "via the proxy" });

    // Handlers in the page, sync and async, with their call params.
    const calls = [];
    c.registerService("chat", {
      receive: (msgId, from, text, params) => {
        calls.push({ msgId, text, init: params.initPeerId, hasParticle: typeof params.particleId === "string" });
        return `page got ${msgId}`;
      },
    });
    c.registerService("slow", { receive: async (msgId) => (await new Promise((r) => setTimeout(r, 20)), `later ${msgId}`) });
    out.toSelf = await c.callAir(sendMessage, { peer: c.peerId, msgId: "p-1", text: "loop" });
    out.calls = calls;
    // A callback argument runs in the page.
    out.callback = await c.callAir(
      `(seq (call %init_peer_id% ("callbackSrv" "cb") ["x" 2] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`,
      { cb: (s, n, params) => `${s}${n} from the page (${typeof params.particleId})` },
    ).catch((e) => ({ rejected: e.code, message: e.message }));
    // A handler that throws: the caller gets the error a client in the page gives, and
    // the client goes on.
    const failing = `(seq (call %init_peer_id% ("broken" "receive") ["a" "b" "c"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`;
    const thrown = async (client) => {
      client.registerService("broken", { receive: () => { throw new Error("handler failed on purpose"); } });
      const e = await client.callAir(failing).catch((e) => e);
      return { isFluenceError: e instanceof FluenceError, code: e.code, particleId: typeof e.particleId, mentions: /handler failed on purpose/.test(e.message) };
    };
    out.thrown = await thrown(c);
    // A handler whose value cannot be copied to the worker fails the call, as it fails a
    // client in the page (which cannot make JSON of it).
    const uncopyable = async (client) => {
      client.registerService("fn", { receive: () => () => 1 });
      const script = `(seq (call %init_peer_id% ("fn" "receive") ["a" "b" "c"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`;
      const e = await client.callAir(script).catch((e) => e);
      return { code: e.code, mentions: /JSON-serializable/.test(e.message) };
    };
    out.uncopyable = await uncopyable(c);
    const direct = await fc.FluenceClient.connect(addr);
    out.thrownDirect = await thrown(direct);
    out.uncopyableDirect = await uncopyable(direct);
    await direct.disconnect();
    // A TTL that runs out: TTL_EXPIRED with its particle id.
    const e2 = await c.callAir(`(call "12D3KooWJbJFaZ3k5sNd8DjQgg3aERoKtBAnirEvPV8yp76kEXHB" ("op" "noop") [])`, {}, { ttlMs: 300 }).catch((e) => e);
    out.ttl = { isFluenceError: e2 instanceof FluenceError, code: e2.code, particleId: typeof e2.particleId };
    // Bad arguments are typed errors too.
    const e3 = await c.callAir(42).catch((e) => e);
    out.badScript = { isFluenceError: e3 instanceof FluenceError, code: e3.code };
    c.unregisterService("chat");
    const e4 = await c.callAir(sendMessage, { peer: c.peerId, msgId: "p-2", text: "gone" }, { ttlMs: 2000 }).catch((e) => e);
    out.unregistered = { code: e4.code };
    // A relay that does not exist: CONNECTION with the relay's address.
    const bad = "/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWJbJFaZ3k5sNd8DjQgg3aERoKtBAnirEvPV8yp76kEXHB";
    const e5 = await connectInWorker(bad, { dialTimeoutMs: 2000, reconnect: false }).catch((e) => e);
    out.noRelay = { isFluenceError: e5 instanceof FluenceError, code: e5.code, relay: e5.relay };
    // `worker` on FluenceClient.connect (which connects in this thread) is refused, not ignored.
    const e6 = await FluenceClient.connect(addr, { worker: true }).catch((e) => e);
    out.workerOnDirect = { code: e6.code, mentions: /connectInWorker/.test(e6.message) };
    return out;
  }, { addr: relay.addr, hello: air("hello"), sendMessage: air("sendMessage") });

  assert.ok(r.isProxy);
  assert.match(r.ids[0], /^12D3KooW/);
  assert.deepEqual(r.ids.slice(1), [true, relay.peerId, true]);
  assert.equal(r.state, "connected");
  assert.equal(r.offString, "connected");
  assert.equal(r.hello, "via the proxy");
  assert.equal(r.toSelf, "page got p-1");
  assert.deepEqual(r.calls, [{ msgId: "p-1", text: "loop", init: r.ids[0], hasParticle: true }]);
  assert.equal(r.callback, "x2 from the page (string)");
  assert.deepEqual(r.thrown, r.thrownDirect);
  assert.deepEqual(r.uncopyable, r.uncopyableDirect);
  assert.deepEqual(r.uncopyable, { code: "INTERPRETER", mentions: true });
  assert.deepEqual(r.thrown, { isFluenceError: true, code: "INTERPRETER", particleId: "string", mentions: true });
  assert.deepEqual(r.ttl, { isFluenceError: true, code: "TTL_EXPIRED", particleId: "string" });
  assert.deepEqual(r.badScript, { isFluenceError: true, code: "INVALID_ARGUMENT" });
  assert.notEqual(r.unregistered.code, undefined);
  assert.deepEqual(r.noRelay, {
    isFluenceError: true,
    code: "CONNECTION",
    relay: "/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWJbJFaZ3k5sNd8DjQgg3aERoKtBAnirEvPV8yp76kEXHB",
  });

  assert.deepEqual(r.workerOnDirect, { code: "INVALID_ARGUMENT", mentions: true });

  // Reconnect, seen from the page.
  await restartRelay();
  const deadline = Date.now() + 15_000;
  while ((await page.evaluate(() => window.proxy.connectionState)) !== "connected" || !(await page.evaluate(() => window.proxyStates.includes("reconnecting")))) {
    assert.ok(Date.now() < deadline, `the proxy did not reconnect: ${await page.evaluate(() => window.proxyStates)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(await page.evaluate((h) => window.proxy.callAir(h, { msg: "again" }), air("hello")), "again");

  // Disconnect: the state, then calls are refused; the worker is gone.
  const end = await page.evaluate(async (h) => {
    await window.proxy.disconnect();
    const e = await window.proxy.callAir(h, { msg: "late" }).catch((e) => e);
    return { state: window.proxy.connectionState, states: window.proxyStates, code: e.code };
  }, air("hello"));
  assert.equal(end.state, "disconnected");
  assert.deepEqual(end.states.slice(-2), ["disconnecting", "disconnected"]);
  assert.equal(end.code, "CONNECTION");
  assert.deepEqual(problems, []);
  await page.close();
});

test("connectInWorker: a worker that dies (an error thrown out of its Wasm, such as V8's RangeError) leaves the client disconnected, and later calls say why instead of waiting for ever", async () => {
  const { page } = await watchedPage();
  const r = await page.evaluate(async (addr) => {
    const { connectInWorker } = await import("/pkg/index.js");
    const worker = new Worker("/pkg/worker.js", { type: "module" });
    const c = await connectInWorker(addr, {}, { worker });
    const states = [];
    c.onConnectionStateChange((s) => states.push(s));
    const before = await c.callAir(
      `(seq (call "${c.relayPeerId}" ("op" "identity") ["alive"] r) (call %init_peer_id% ("callbackSrv" "response") [r]))`);
    // What the page sees when the worker's Wasm traps: an error event on the Worker.
    worker.dispatchEvent(new ErrorEvent("error", { message: "Uncaught RangeError: Maximum call stack size exceeded", filename: "fluence_client_bg.wasm" }));
    const after = await Promise.race([
      c.callAir(`(call %init_peer_id% ("callbackSrv" "response") [1])`).catch((e) => ({ code: e.code, message: e.message })),
      new Promise((res) => setTimeout(() => res("still pending after 5 s"), 5_000)),
    ]);
    await c.disconnect(); // resolves: already gone
    return { before, after, states, state: c.connectionState };
  }, relay.addr);
  assert.equal(r.before, "alive", JSON.stringify(r));
  assert.equal(typeof r.after, "object", JSON.stringify(r));
  assert.equal(r.after.code, "CONNECTION");
  assert.match(r.after.message, /fluence-client's worker failed: Uncaught RangeError: Maximum call stack size exceeded \(fluence_client_bg.wasm\)/);
  assert.equal(r.state, "disconnected");
  assert.deepEqual(r.states, ["disconnected"]);
  await page.close();
});

test("connectInWorker without reconnect: the relay lost → disconnected, the worker stopped, later calls refused", async () => {
  const { page, problems } = await watchedPage();
  await page.evaluate(async (addr) => {
    const { connectInWorker } = await import("/pkg/index.js");
    window.once = await connectInWorker(addr, { reconnect: false });
    window.onceStates = [];
    window.once.onConnectionStateChange((s) => window.onceStates.push(s));
  }, relay.addr);
  await restartRelay();
  const deadline = Date.now() + 10_000;
  while ((await page.evaluate(() => window.once.connectionState)) !== "disconnected") {
    assert.ok(Date.now() < deadline, `still ${await page.evaluate(() => window.once.connectionState)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const r = await page.evaluate(async (h) => {
    const e = await window.once.callAir(h, { msg: "x" }).catch((e) => e);
    await window.once.disconnect(); // a no-op now
    return { states: window.onceStates, code: e.code, name: e.name };
  }, air("hello"));
  assert.deepEqual(r.states.at(-1), "disconnected");
  assert.equal(r.name, "FluenceError");
  assert.equal(r.code, "CONNECTION");
  assert.deepEqual(problems.filter((p) => !/relay connection closed/.test(p)), []);
  await page.close();
});
