// The package in Node.js, installed from the `npm pack` tarball into a fixture app
// (tests/output/node-app) and imported by name: the `node` condition of its `exports`
// loads the .wasm from the package folder. This file runs under Node 24 from the npm
// registry (tests/node_modules/node24/bin/node --test tests/node/); child processes run
// Node 22 (same registry) and the machine's Node 20 (no global WebSocket).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import * as jsClient from "@fluencelabs/js-client";
import { startRelay } from "../../scripts/relay-process.mjs";
import { compileAll } from "../aqua-compat/compile.mjs";
import { runScenario } from "../aqua-compat/scenario.js";
import { copyAquaScenario, freshApp, installPackage, root } from "../fixture.mjs";
import { launchChromium, openPage, serveRepo } from "../browser/harness.mjs";

const aquaDir = join(root, "tests", "aqua", "core");
const defs = JSON.parse(readFileSync(join(aquaDir, "defs.json"), "utf8"));
const air = (name) => readFileSync(join(aquaDir, `${name}.air`), "utf8");
const node22 = join(root, "tests", "node_modules", "node22", "bin", "node");
const wsWrapper = join(root, "tests", "node_modules", "ws", "wrapper.mjs");

const secretKey = randomBytes(32).toString("base64");
let relay, app, fc;
const cleanup = [];

before(async () => {
  assert.equal(process.versions.node.split(".")[0], "24", `run this suite with Node 24, not ${process.version}`);
  relay = await startRelay({ secretKey });
  await compileAll();
  app = await freshApp("node-app", join(root, "tests", "node", "app"));
  // A third copy ("initsync-copy") is a module instance of its own for the initSync test.
  await installPackage(app, ["fluence-client", "@fluencelabs/js-client", "initsync-copy"]);
  await copyAquaScenario(join(app, "src"));
  fc = await import(join(app, "client.mjs"));
});
after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  await relay?.stop();
});

/** Runs `node identity.mjs` in the app; resolves with its lines and how long it lived after "disconnected". */
function runIdentity(nodeBin, extraArgs = [], nodeFlags = []) {
  const child = spawn(nodeBin, [...nodeFlags, join(app, "identity.mjs"), relay.addr, ...extraArgs], {
    cwd: app,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = [];
  let stderr = "";
  let disconnectedAt;
  child.stderr.on("data", (d) => (stderr += d));
  createInterface({ input: child.stdout }).on("line", (l) => {
    const o = JSON.parse(l);
    if (o.disconnected) disconnectedAt = performance.now();
    lines.push(o);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${nodeBin} identity.mjs did not exit in 20 s: ${JSON.stringify(lines)} ${stderr}`));
    }, 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const lingered = disconnectedAt === undefined ? Infinity : performance.now() - disconnectedAt;
      resolve({ code, lines, stderr, lingered });
    });
  });
}

test("Node 24: import by name (and fluence-client/keypair), op.identity through the relay; after disconnect() the process exits by itself within 1 s", async () => {
  const r = await runIdentity(process.execPath);
  assert.equal(r.code, 0, r.stderr);
  const [first] = r.lines;
  assert.equal(first.error, undefined, JSON.stringify(first.error));
  assert.match(first.peerId, /^12D3KooW/);
  assert.equal(first.identity, `hello from ${process.version}`);
  // fluence-client/keypair (js-client's ./keypair) under the node condition: the same
  // KeyPair class, and a key restored through it (spec §3.4's vector).
  assert.equal(first.keypairSubpath, "12D3KooWANqfCDrV79MZdMnMqTvDdqSAPSxdgFY1L6DCq2DVGB4D");
  assert.ok(r.lingered < 1000, `the process lived ${r.lingered} ms after disconnect()`);
  console.log(`Node ${process.version}: exited ${r.lingered.toFixed(0)} ms after disconnect()`);
});

test("Node 22: import by name, op.identity; exits by itself after disconnect()", async () => {
  const r = await runIdentity(node22);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.lines[0].error, undefined, JSON.stringify(r.lines[0].error));
  assert.match(r.lines[0].identity, /^hello from v22\./);
  assert.ok(r.lingered < 1000, `the process lived ${r.lingered} ms after disconnect()`);
  console.log(`Node ${r.lines[0].node}: exited ${r.lingered.toFixed(0)} ms after disconnect()`);
});

test("a runtime without WebSocket (the machine's Node 20): a typed CONNECTION error naming the Node version, no crash; config.WebSocket from the ws package works", async () => {
  const { execFileSync } = await import("node:child_process");
  const version = execFileSync("node", ["--version"], { encoding: "utf8" }).trim();
  // Node >= 22 has a global WebSocket unless it is turned off.
  const flags = Number(version.slice(1).split(".")[0]) >= 22 ? ["--no-experimental-websocket"] : [];
  const r = await runIdentity("node", [], flags);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /unreachable|RuntimeError|panicked/);
  const { error } = r.lines[0];
  assert.ok(error, `connect did not fail: ${JSON.stringify(r.lines)}`);
  assert.equal(error.name, "FluenceError");
  assert.equal(error.code, "CONNECTION");
  assert.ok(error.message.includes(`Node.js ${version.slice(1)} has no global WebSocket`), error.message);
  assert.match(error.message, /Node\.js 22 or newer.*config\.WebSocket/);

  const ws = await runIdentity("node", ["--ws", wsWrapper], flags);
  assert.equal(ws.code, 0, ws.stderr);
  assert.equal(ws.lines[0].identity, `hello from ${version}`, JSON.stringify(ws.lines));
  assert.ok(ws.lingered < 1000, `the process lived ${ws.lingered} ms after disconnect()`);
});

test("config.WebSocket that is not a constructor: INVALID_ARGUMENT", async () => {
  await assert.rejects(fc.FluenceClient.connect(relay.addr, { WebSocket: "ws" }), (e) => {
    assert.equal(e.code, "INVALID_ARGUMENT");
    assert.match(e.message, /config\.WebSocket must be a WebSocket constructor/);
    return true;
  });
});

async function chatPeer(inbox, config = {}) {
  const c = await fc.FluenceClient.connect(relay.addr, config);
  cleanup.push(() => c.disconnect());
  c.registerService("chat", {
    receive: (msgId, from, text, params) => {
      inbox.push({ msgId, from, text, init: params.initPeerId });
      return `delivered ${msgId}`;
    },
  });
  return c;
}

test("two Node clients exchange messages through registered services", async () => {
  const inboxA = [];
  const inboxB = [];
  const a = await chatPeer(inboxA);
  const b = await chatPeer(inboxB);
  const send = (from, to, msgId, text) => from.callAir(air("sendMessage"), { peer: to.peerId, msgId, text });
  assert.equal(await send(a, b, "n-1", "Hello B"), "delivered n-1");
  assert.equal(await send(b, a, "n-2", "Hello A"), "delivered n-2");
  assert.deepEqual(inboxB, [{ msgId: "n-1", from: a.peerId, text: "Hello B", init: a.peerId }]);
  assert.deepEqual(inboxA, [{ msgId: "n-2", from: b.peerId, text: "Hello A", init: b.peerId }]);
});

test("a Node client and the official js-client 0.9.0, both directions", async () => {
  const inbox = [];
  const ours = await chatPeer(inbox);
  const js = await jsClient.createClient(relay.addr, {});
  cleanup.push(() => js.disconnect());
  const receipt = await jsClient.v5_callFunction(
    [js, ours.peerId, "j-1", "Hello from js-client"],
    defs.functions.sendMessage,
    air("sendMessage"),
  );
  assert.equal(receipt, "delivered j-1");
  assert.deepEqual(inbox, [{ msgId: "j-1", from: js.getPeerId(), text: "Hello from js-client", init: js.getPeerId() }]);

  const jsInbox = [];
  jsClient.v5_registerService(
    [js, { receive: (msgId, from, text) => (jsInbox.push({ msgId, from, text }), `read ${msgId}`) }],
    defs.services.Chat,
  );
  const back = await ours.callAir(air("sendMessage"), { peer: js.getPeerId(), msgId: "j-2", text: "Hello from Node" });
  assert.equal(back, "read j-2");
  assert.deepEqual(jsInbox, [{ msgId: "j-2", from: ours.peerId, text: "Hello from Node" }]);
});

test("a Node client and a browser client (headless Chromium), both directions", async () => {
  const server = await serveRepo();
  const browser = await launchChromium();
  cleanup.push(() => server.close(), () => browser.close());
  const page = await openPage(browser, server.url);
  const browserPeer = await page.evaluate(async (addr) => {
    window.inbox = [];
    window.c = await fc.FluenceClient.connect(addr, {});
    window.c.registerService("chat", {
      receive: (msgId, from, text) => (window.inbox.push({ msgId, from, text }), `seen ${msgId}`),
    });
    return window.c.peerId;
  }, relay.addr);
  const inbox = [];
  const ours = await chatPeer(inbox);
  assert.equal(
    await ours.callAir(air("sendMessage"), { peer: browserPeer, msgId: "b-1", text: "Hello browser" }),
    "seen b-1",
  );
  assert.deepEqual(await page.evaluate(() => window.inbox), [{ msgId: "b-1", from: ours.peerId, text: "Hello browser" }]);
  const back = await page.evaluate(
    ({ script, peer }) => window.c.callAir(script, { peer, msgId: "b-2", text: "Hello Node" }),
    { script: air("sendMessage"), peer: ours.peerId },
  );
  assert.equal(back, "delivered b-2");
  assert.deepEqual(inbox, [{ msgId: "b-2", from: browserPeer, text: "Hello Node", init: browserPeer }]);
  await page.evaluate(() => window.c.disconnect());
});

test("relay restart: reconnecting, then connected, and a later call works", async () => {
  const states = [];
  const c = await fc.FluenceClient.connect(relay.addr, { dialTimeoutMs: 5000 });
  cleanup.push(() => c.disconnect());
  c.onConnectionStateChange((s) => states.push(s));
  assert.equal(await c.callAir(air("hello"), { msg: "before" }), "before");
  await relay.kill();
  relay = await startRelay({ secretKey, wsPort: relay.port });
  const deadline = Date.now() + 15_000;
  while (c.connectionState !== "connected" || !states.includes("reconnecting")) {
    assert.ok(Date.now() < deadline, `not reconnected: ${states}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(await c.callAir(air("hello"), { msg: "after" }, { ttlMs: 5000 }), "after");
  assert.deepEqual(states.slice(0, 1), ["reconnecting"]);
  assert.equal(states.at(-1), "connected");
});

test("the Aqua-compiled scenario under Node gives exactly js-client's results", async () => {
  const load = (name) => import(join(root, "tests", "output", "aqua-compat", `${name}.js`));
  const programs = { values: await load("values"), services: await load("services"), errors: await load("errors") };
  // The compiled files in tests/output/aqua-compat resolve @fluencelabs/js-client from
  // tests/node_modules (the official one); the app's copies resolve it to this package.
  const reference = await runScenario(jsClient, programs, relay.addr);
  assert.deepEqual(reference.streams, ["hi ann", "hi bob", "hi cyd"]);
  const { run } = await import(join(app, "aqua.mjs"));
  assert.deepEqual(await run(relay.addr), reference);
});

test("the browser entry after the app's own initSync: connect loads nothing more (Node cannot fetch a file: URL)", async () => {
  // A copy nothing else has loaded (its own Wasm instance), by the browser entry's path.
  const copy = join(app, "node_modules", "initsync-copy");
  const { initSync, FluenceClient } = await import(join(copy, "index.js"));
  initSync({ module: readFileSync(join(copy, "fluence_client_bg.wasm")) });
  const c = await FluenceClient.connect(relay.addr);
  cleanup.push(() => c.disconnect());
  assert.equal(await c.callAir(air("hello"), { msg: "initSync" }), "initSync");
});
