// One client in its own process: `node identity.mjs <relay> [--ws <path of ws/wrapper.mjs>]`.
// Prints one JSON line after connect + op.identity ({ peerId, identity, node,
// keypairSubpath: the PeerId of a key restored through fluence-client/keypair }), or the
// error ({ error: { name, code, message } }), then one after disconnect ({ disconnected:
// true }); then nothing is left to keep the process alive.
import { FluenceClient, KeyPair } from "fluence-client";
// js-client's second entry point, as this app resolves it (`exports`, `node` condition).
import { KeyPair as SubpathKeyPair, fromBase64Sk } from "fluence-client/keypair";

const [relay, flag, wsPath] = process.argv.slice(2);
const config = { dialTimeoutMs: 5000 };
if (flag === "--ws") config.WebSocket = (await import(wsPath)).WebSocket;
const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");
// `op.identity` on the relay, and back.
const script = `
(seq
 (seq (call %init_peer_id% ("getDataSrv" "-relay-") [] relay) (call %init_peer_id% ("getDataSrv" "msg") [] msg))
 (seq (call relay ("op" "identity") [msg] x) (call %init_peer_id% ("callbackSrv" "response") [x])))`;
let client;
try {
  client = await FluenceClient.connect(relay, config);
  const identity = await client.callAir(script, { msg: `hello from ${process.version}` });
  const restored = await fromBase64Sk("7h48PQ/f1rS9TxacmgODxbD42Il9B3KC117jvOPppPE=");
  const keypairSubpath = SubpathKeyPair === KeyPair && restored.getPeerId();
  print({ peerId: client.peerId, identity, node: process.version, keypairSubpath });
} catch (e) {
  print({ error: { name: e?.name, code: e?.code, message: e?.message } });
} finally {
  await client?.disconnect();
}
print({ disconnected: true });
