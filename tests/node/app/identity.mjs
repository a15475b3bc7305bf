// One client in its own process: `node identity.mjs <relay> [--ws <path of ws/wrapper.mjs>]`.
// Prints one JSON line after connect + op.identity ({ peerId, identity, node }), or the
// error ({ error: { name, code, message } }), then one after disconnect ({ disconnected:
// true }); then nothing is left to keep the process alive.
import { FluenceClient } from "fluence-client";

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
  print({ peerId: client.peerId, identity, node: process.version });
} catch (e) {
  print({ error: { name: e?.name, code: e?.code, message: e?.message } });
} finally {
  await client?.disconnect();
}
print({ disconnected: true });
