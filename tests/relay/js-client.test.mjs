// Interop with software nobody here wrote: the official @fluencelabs/js-client 0.9.0
// against our relay, running AIR made by the real Aqua compiler (tests/aqua/core.aqua).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { createClient, v5_callFunction, v5_registerService } from "@fluencelabs/js-client";
import { startRelay } from "../../scripts/relay-process.mjs";

const aquaDir = join(dirname(fileURLToPath(import.meta.url)), "..", "aqua", "core");
const defs = JSON.parse(readFileSync(join(aquaDir, "defs.json"), "utf8"));
const air = (name) => readFileSync(join(aquaDir, `${name}.air`), "utf8");

let relay;
const clients = [];
before(async () => {
  relay = await startRelay();
});
after(async () => {
  for (const c of clients) await c.disconnect().catch(() => {});
  await relay?.stop();
});

async function client() {
  const c = await createClient(relay.addr, { defaultTtlMs: 7000 });
  clients.push(c);
  return c;
}

test("js-client: op.identity round trip through our relay", async () => {
  const a = await client();
  assert.equal(a.getRelayPeerId(), relay.peerId);
  const res = await v5_callFunction([a, "hello from js-client"], defs.functions.hello, air("hello"));
  assert.equal(res, "hello from js-client");
});

test("js-client: two peers exchange a message through our relay, with a receipt", async () => {
  const a = await client();
  const b = await client();
  const inbox = [];
  v5_registerService([b, {
    receive: (msgId, from, text, ctx) => {
      inbox.push({ msgId, from, text, init: ctx.initPeerId });
      return `delivered ${msgId}`;
    },
  }], defs.services.Chat);
  const res = await v5_callFunction(
    [a, b.getPeerId(), "m-1", "Hello, Bob"],
    defs.functions.sendMessage,
    air("sendMessage"),
  );
  assert.equal(res, "delivered m-1");
  assert.deepEqual(inbox, [{ msgId: "m-1", from: a.getPeerId(), text: "Hello, Bob", init: a.getPeerId() }]);
  // And back the other way.
  const inboxA = [];
  v5_registerService([a, { receive: (msgId, from, text) => (inboxA.push(text), `read ${msgId}`) }], defs.services.Chat);
  const back = await v5_callFunction([b, a.getPeerId(), "m-2", "Hi, Alice"], defs.functions.sendMessage, air("sendMessage"));
  assert.equal(back, "read m-2");
  assert.deepEqual(inboxA, ["Hi, Alice"]);
});

test("js-client: an error raised on our relay reaches the caller", async () => {
  const a = await client();
  await assert.rejects(
    v5_callFunction([a, "x"], defs.functions.failOnRelay, air("failOnRelay")),
    (e) => JSON.stringify(e).includes("Service with id 'no-such-service' not found"),
  );
});
