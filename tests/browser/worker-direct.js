// A module worker of the app's own that imports the package itself (no proxy): the
// client connects, serves "chat" and calls the relay from inside the worker. Driven by
// worker.test.mjs with { id, op, ... } messages; answers { id, ok, value | error }.
import { FluenceClient } from "/pkg/index.js";

let client;
const states = [];
const inbox = [];
const ops = {
  async connect({ relay }) {
    client = await FluenceClient.connect(relay, { dialTimeoutMs: 5000 });
    client.onConnectionStateChange((s) => states.push(s));
    client.registerService("chat", {
      receive: (msgId, from, text, params) => {
        inbox.push({ msgId, from, text, init: params.initPeerId });
        return `worker got ${msgId}`;
      },
    });
    return { peerId: client.peerId, inWorker: typeof window === "undefined" && typeof self.importScripts === "function" };
  },
  call: ({ script, args }) => client.callAir(script, args, { ttlMs: 5000 }),
  status: () => ({ states, state: client.connectionState, inbox }),
  disconnect: () => client.disconnect(),
};
self.onmessage = async ({ data }) => {
  try {
    self.postMessage({ id: data.id, ok: true, value: (await ops[data.op](data)) ?? null });
  } catch (e) {
    self.postMessage({ id: data.id, ok: false, error: { name: e?.name, code: e?.code, message: e?.message } });
  }
};
