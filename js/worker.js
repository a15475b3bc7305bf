// fluence-client's worker script: the whole client (network and AquaVM) in a dedicated
// module worker, driven by the page-side proxy in worker-client.js (`connectInWorker`, or
// `Fluence.connect(relay, { worker: true })`). Service handlers and callbacks stay in the
// page: here they are stubs that ask the page over postMessage and wait for its answer.
// The protocol (page → worker: connect, call, callFunction, register, registerAqua,
// unregister, disconnect, reply; worker → page: result, state, invoke) is private to
// this package and its version.
import init, { FluenceClient, FluenceError, v5_callFunction, v5_registerService } from "./core.js";
import { CALLBACK, encodeError, decodeError } from "./worker-protocol.js";

let client;
let nextAsk = 1;
const asked = new Map();

// Asks the page to run a handler or callback; resolves with its answer.
function ask(message) {
  const id = nextAsk++;
  return new Promise((resolve, reject) => {
    asked.set(id, { resolve, reject });
    self.postMessage({ op: "invoke", ask: id, ...message });
  });
}

// Arguments from the page: callback markers become stubs that call back into the page.
function decodeArgs(values, call) {
  return values.map((v) =>
    v !== null && typeof v === "object" && typeof v[CALLBACK] === "number"
      ? (...args) => ask({ call, callback: v[CALLBACK], args })
      : v,
  );
}

// The stand-in of a page-side implementation: a stub per function, `null` for the rest
// (so the registration reports exactly what it reports for the real object).
function standIn(service, shape) {
  const o = {};
  for (const [name, kind] of Object.entries(shape)) {
    o[name] = kind === "function" ? (...args) => ask({ service, fn: name, args }) : null;
  }
  return o;
}

const ops = {
  async connect({ relay, config }) {
    await init();
    client = await FluenceClient.connect(relay, config);
    client.onConnectionStateChange((state) => self.postMessage({ op: "state", state }));
    return { peerId: client.peerId, relayPeerId: client.relayPeerId, state: client.connectionState };
  },
  call({ id, script, args, options }) {
    const names = Object.keys(args ?? {});
    const values = decodeArgs(Object.values(args ?? {}), id);
    return client.callAir(script, args == null ? args : Object.fromEntries(names.map((n, i) => [n, values[i]])), options);
  },
  callFunction({ id, args, def, script }) {
    return v5_callFunction([client, ...decodeArgs(args, id)], def, script);
  },
  register({ serviceId, shape }) {
    client.registerService(serviceId, standIn(serviceId, shape));
  },
  registerAqua({ serviceId, shape, def }) {
    const id = serviceId ?? def?.defaultServiceId;
    const impl = standIn(id, shape);
    v5_registerService(serviceId === undefined ? [client, impl] : [client, serviceId, impl], def);
  },
  unregister({ serviceId }) {
    client.unregisterService(serviceId);
  },
  async disconnect() {
    await client?.disconnect();
  },
};

self.onmessage = async ({ data }) => {
  if (data.op === "reply") {
    const waiting = asked.get(data.ask);
    asked.delete(data.ask);
    if (data.ok) waiting?.resolve(data.value);
    else waiting?.reject(decodeError(data.error));
    return;
  }
  const op = ops[data.op];
  try {
    if (!op) throw new FluenceError("INVALID_ARGUMENT", `unknown worker operation ${data.op}`);
    if (data.op !== "connect" && client === undefined) {
      throw new FluenceError("CONNECTION", "the worker's client is not connected");
    }
    const value = await op(data);
    self.postMessage({ op: "result", id: data.id, ok: true, value: value ?? null });
  } catch (e) {
    self.postMessage({ op: "result", id: data.id, ok: false, error: encodeError(e) });
  }
};
