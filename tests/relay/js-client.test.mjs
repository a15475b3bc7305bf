// Interop with software nobody here wrote: the official @fluencelabs/js-client 0.9.0
// against our relay, running AIR made by the real Aqua compiler (tests/aqua/core.aqua).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { callAquaFunction, createClient, v5_callFunction, v5_registerService } from "@fluencelabs/js-client";
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

// `peer.identify` on the relay `peer` is connected to.
const identify = (peer) =>
  callAquaFunction({
    script: `
(seq
 (call %init_peer_id% ("getDataSrv" "-relay-") [] relay)
 (seq
  (call relay ("peer" "identify") [] info)
  (call %init_peer_id% ("callbackSrv" "response") [info])))`,
    peer,
    args: {},
    config: { ttl: 7000 },
    fireAndForget: false,
  });

test("the relay started with --external-address / --external-ip reports them in peer.identify, in nox's answer shape (spec §7.2)", async () => {
  const external = await startRelay({
    extraArgs: [
      "--external-address", "/dns4/relay.example.org/tcp/443/wss",
      "--external-address", "/ip4/198.51.100.2/tcp/9000/ws",
      "--external-ip", "203.0.113.7",
    ],
  });
  try {
    const c = await createClient(external.addr);
    clients.push(c);
    const info = await identify(c);
    // nox 0.28.2's fields (JSON objects are unordered: compared sorted).
    assert.deepEqual(Object.keys(info).sort(), [
      "external_addresses", "node_version", "air_version", "spell_version", "allowed_binaries", "vm_info",
    ].sort());
    const port = external.addr.split("/")[4];
    assert.deepEqual(info.external_addresses, [
      "/dns4/relay.example.org/tcp/443/wss",
      "/ip4/198.51.100.2/tcp/9000/ws",
      `/ip4/203.0.113.7/tcp/${port}/ws`,
    ]);
    assert.equal(info.air_version, "0.63.0");
    // Without the flags: none.
    assert.deepEqual((await identify(await client())).external_addresses, []);
  } finally {
    await external.stop();
  }
});

test("the relay refuses a bad --external-address with a clear error", async () => {
  const { execFile } = await import("node:child_process");
  const { relayBin } = await import("../../scripts/relay-process.mjs");
  const out = await new Promise((resolve) =>
    execFile(relayBin, ["--ws-port", "0", "--external-address", "not a multiaddr"], (error, stdout, stderr) =>
      resolve({ code: error?.code ?? 0, stderr }),
    ),
  );
  assert.equal(out.code, 2);
  assert.match(out.stderr, /--external-address/);
});
