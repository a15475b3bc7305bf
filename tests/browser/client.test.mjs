// The browser client (pkg/, web target) in headless Chromium, driven by Playwright:
// reconnection after the relay is killed and restarted, and interop with the official
// @fluencelabs/js-client 0.9.0 in Node, both directions, through our relay.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { createClient, v5_callFunction, v5_registerService } from "@fluencelabs/js-client";
import { startRelay } from "../../scripts/relay-process.mjs";
import { serveRepo, launchChromium, openPage, root } from "./harness.mjs";

const aquaDir = join(root, "tests", "aqua", "core");
const defs = JSON.parse(readFileSync(join(aquaDir, "defs.json"), "utf8"));
const air = (name) => readFileSync(join(aquaDir, `${name}.air`), "utf8");

const secretKey = randomBytes(32).toString("base64");
let relay, server, browser;
const jsClients = [];

before(async () => {
  relay = await startRelay({ secretKey });
  server = await serveRepo();
  browser = await launchChromium();
});
after(async () => {
  for (const c of jsClients) await c.disconnect().catch(() => {});
  await browser?.close();
  await server?.close();
  await relay?.stop();
});

test("the client reconnects when the relay is killed and restarted", async () => {
  const page = await openPage(browser, server.url);
  await page.evaluate(async ({ addr, hello }) => {
    window.states = [];
    window.c = await fc.FluenceClient.connect(addr, { dialTimeoutMs: 5000 });
    window.c.onConnectionStateChange((s) => window.states.push(s));
    window.hello = (msg) => window.c.callAir(hello, { msg }, { ttlMs: 5000 });
    return await window.hello("before");
  }, { addr: relay.addr, hello: air("hello") });

  await relay.kill();
  await page.waitForFunction(() => window.c.connectionState === "reconnecting", null, { timeout: 10_000 });
  // A call made while the relay is down waits for the connection while its TTL lasts.
  const during = page.evaluate(() => window.hello("while down").then((v) => v, (e) => e.code));

  relay = await startRelay({ wsPort: relay.port, secretKey });
  await page.waitForFunction(() => window.c.connectionState === "connected", null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => window.hello("after")), "after");
  assert.ok(["while down", "TTL_EXPIRED"].includes(await during));
  assert.deepEqual(
    await page.evaluate(() => window.states),
    ["reconnecting", "connected"],
  );
  await page.evaluate(() => window.c.disconnect());
  await page.close();
});

test("interop: js-client in Node and our browser client exchange messages both ways", async () => {
  const page = await openPage(browser, server.url);
  const browserPeer = await page.evaluate(async (addr) => {
    window.inbox = [];
    window.c = await fc.FluenceClient.connect(addr, {});
    window.c.registerService("chat", {
      receive: (msgId, from, text, params) => {
        window.inbox.push({ msgId, from, text, init: params.initPeerId });
        return `delivered ${msgId}`;
      },
    });
    return window.c.peerId;
  }, relay.addr);

  const js = await createClient(relay.addr, {});
  jsClients.push(js);
  // js-client -> browser
  const receipt = await v5_callFunction(
    [js, browserPeer, "m-1", "Hello from js-client"],
    defs.functions.sendMessage,
    air("sendMessage"),
  );
  assert.equal(receipt, "delivered m-1");
  assert.deepEqual(await page.evaluate(() => window.inbox), [
    { msgId: "m-1", from: js.getPeerId(), text: "Hello from js-client", init: js.getPeerId() },
  ]);

  // browser -> js-client
  const jsInbox = [];
  v5_registerService([js, { receive: (msgId, from, text) => (jsInbox.push({ msgId, from, text }), `read ${msgId}`) }], defs.services.Chat);
  const back = await page.evaluate(
    ({ script, peer }) => window.c.callAir(script, { peer, msgId: "m-2", text: "Hello from the browser" }),
    { script: air("sendMessage"), peer: js.getPeerId() },
  );
  assert.equal(back, "read m-2");
  assert.deepEqual(jsInbox, [{ msgId: "m-2", from: browserPeer, text: "Hello from the browser" }]);
  await page.evaluate(() => window.c.disconnect());
  await page.close();
});
