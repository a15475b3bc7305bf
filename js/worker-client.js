// The page side of fluence-client in a Web Worker: `connectInWorker(relay, config)` starts
// the package's worker script (worker.js) and returns a `WorkerClient`, which has the
// surface of a `FluenceClient` (and can be the client of `Fluence.connect` and of compiled
// Aqua) while the network and AquaVM run in the worker. Service handlers and callbacks
// run here, in the page: the worker calls them over postMessage.
import { FluenceError } from "./fluence_client.js";
import { CALLBACK, IS_WORKER_CLIENT, decodeError, encodeError } from "./worker-protocol.js";
import { viteOriginals } from "./vite.js";

// The package's worker script. The literal `new Worker(new URL("./worker.js",
// import.meta.url), …)` is what bundlers (Vite, webpack) find and bundle. Under Vite 6/7's
// dev server this module is a pre-bundled copy in node_modules/.vite/deps/, without the
// worker script beside it: the original is found in the package folder.
async function startWorker() {
  const here = new URL(import.meta.url);
  const originals = viteOriginals(here, "worker.js");
  if (originals.length === 0) {
    return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  }
  for (const url of originals) {
    const r = await fetch(url, { method: "HEAD" }).catch(() => null);
    if (r?.ok && /javascript/.test(r.headers.get("content-type") ?? "")) return new Worker(url, { type: "module" });
  }
  throw new FluenceError(
    "LOAD",
    `cannot find fluence-client's worker.js beside the pre-bundled ${here}. ` +
      'Add optimizeDeps: { exclude: ["fluence-client"] } to the Vite config',
  );
}

// A service implementation's shape: which names are functions (own properties and class
// methods, up to Object.prototype), for the worker's stand-in.
function shapeOf(impl) {
  const shape = {};
  for (let o = impl; o !== null && Object.getPrototypeOf(o) !== null; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name === "constructor" || name in shape) continue;
      shape[name] = typeof impl[name] === "function" ? "function" : "value";
    }
  }
  return shape;
}

const bad = (message) => new FluenceError("INVALID_ARGUMENT", message);

/** A client whose network and AquaVM run in a Web Worker. */
export class WorkerClient {
  #worker;
  #relay;
  #nextId = 1;
  #pending = new Map(); // id → { resolve, reject, callbacks }
  #services = new Map(); // serviceId → implementation
  #listeners = new Set();
  #state = "connecting";
  #failure = null;
  #ended;

  /** @internal Use `connectInWorker`. */
  constructor(worker, relay) {
    this.#worker = worker;
    this.#relay = relay;
    this.peerId = undefined;
    this.relayPeerId = undefined;
    worker.onmessage = ({ data }) => this.#receive(data);
    worker.onmessageerror = () => this.#fail("a message from the worker could not be read");
    worker.onerror = (e) => {
      e.preventDefault?.();
      const what = e.message || "its script could not be loaded";
      const message = `fluence-client's worker failed: ${what} (${e.filename || "worker.js"})`;
      this.#fail(message, "LOAD");
      // An error thrown out of the worker's Wasm (a trap) leaves its client unusable: it is
      // gone, and later calls say why instead of waiting on a worker that cannot answer.
      this.#failure = message;
      this.#worker.terminate();
      this.#setState("disconnected");
    };
  }

  get [IS_WORKER_CLIENT]() {
    return true;
  }

  /** `"connecting" | "connected" | "reconnecting" | "disconnecting" | "disconnected"`. */
  get connectionState() {
    return this.#state;
  }

  /** js-client's `IFluenceClient.getPeerId()`. */
  getPeerId() {
    return this.peerId;
  }

  /** js-client's `IFluenceClient.getRelayPeerId()`. */
  getRelayPeerId() {
    return this.relayPeerId;
  }

  /** Calls `listener(state)` on every state change; returns `off` (which also converts to the state). */
  onConnectionStateChange(listener) {
    if (typeof listener !== "function") throw bad("the listener must be a function");
    const entry = { listener };
    this.#listeners.add(entry);
    const off = () => {
      this.#listeners.delete(entry);
    };
    off[Symbol.toPrimitive] = () => this.#state;
    return off;
  }

  /** Runs an AIR script in the worker; function-valued `args` are callbacks run here. */
  callAir(script, args, options) {
    if (typeof script !== "string") return Promise.reject(bad(`script must be a string, got ${typeof script}`));
    if (args !== undefined && args !== null && (typeof args !== "object" || Array.isArray(args))) {
      return Promise.reject(bad("args must be an object of named values"));
    }
    const names = Object.keys(args ?? {});
    const { values, callbacks } = this.#encodeArgs(names.map((n) => args[n]));
    const encoded = args == null ? args : Object.fromEntries(names.map((n, i) => [n, values[i]]));
    return this.#request({ op: "call", script, args: encoded, options }, callbacks);
  }

  /** Registers `impl`'s functions as service `serviceId`; they run here when called. */
  registerService(serviceId, impl) {
    if (typeof serviceId !== "string" || serviceId === "") throw bad("serviceId must be a non-empty string");
    if (impl === null || typeof impl !== "object") throw bad("service must be an object of functions");
    const shape = shapeOf(impl);
    if (!Object.values(shape).includes("function")) throw bad(`service ${JSON.stringify(serviceId)} has no functions`);
    this.#services.set(serviceId, impl);
    this.#background({ op: "register", serviceId, shape });
  }

  /** Removes the service `serviceId`. */
  unregisterService(serviceId) {
    this.#services.delete(serviceId);
    this.#background({ op: "unregister", serviceId });
  }

  /** Disconnects, then stops the worker. */
  async disconnect() {
    if (this.#ended) return this.#ended;
    this.#ended = (async () => {
      this.#setState("disconnecting");
      await this.#request({ op: "disconnect" }).catch(() => {});
      this.#worker.terminate();
      this.#fail("the client was disconnected", "CANCELLED");
      this.#setState("disconnected");
    })();
    return this.#ended;
  }

  /** @internal The target of `v5_callFunction` for this client. */
  __callFunction(args, def, script) {
    const { values, callbacks } = this.#encodeArgs(args);
    return this.#request({ op: "callFunction", args: values, def, script }, callbacks);
  }

  /** @internal The target of `v5_registerService` for this client. */
  __registerService(serviceId, impl, def) {
    if (impl === null || (typeof impl !== "object" && typeof impl !== "function")) {
      throw bad("the service implementation must be an object or a class instance");
    }
    const id = serviceId ?? def?.defaultServiceId;
    this.#services.set(id, impl);
    this.#background({ op: "registerAqua", serviceId, shape: shapeOf(impl), def });
  }

  /** @internal Starts the client in the worker. */
  async __connect(config) {
    const value = await this.#request({ op: "connect", relay: this.#relay, config });
    this.peerId = value.peerId;
    this.relayPeerId = value.relayPeerId;
    this.#setState(value.state);
  }

  #encodeArgs(list) {
    const callbacks = [];
    const values = list.map((v) => {
      if (typeof v !== "function") return v;
      callbacks.push(v);
      return { [CALLBACK]: callbacks.length - 1 };
    });
    return { values, callbacks };
  }

  #request(message, callbacks = []) {
    if (this.#state === "disconnected") {
      const message = this.#failure ?? "the client is disconnected";
      return Promise.reject(new FluenceError("CONNECTION", message, null, this.#relay));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, callbacks });
      try {
        this.#worker.postMessage({ ...message, id });
      } catch (e) {
        this.#pending.delete(id);
        reject(bad(`a value cannot be sent to the worker: ${e.message}`));
      }
    });
  }

  // Registrations answer nothing; their errors (those FluenceClient throws) are reported.
  #background(message) {
    this.#request(message).catch((e) => console.error(e));
  }

  #receive(data) {
    if (data.op === "result") {
      const waiting = this.#pending.get(data.id);
      this.#pending.delete(data.id);
      if (data.ok) waiting?.resolve(data.value);
      else waiting?.reject(decodeError(data.error));
    } else if (data.op === "state") {
      this.#setState(data.state);
      // The worker's client ended by itself (the relay lost, no reconnect): its callers
      // are settled before this state is sent; the worker goes too.
      if (data.state === "disconnected") this.disconnect();
    } else if (data.op === "invoke") {
      this.#invoke(data);
    }
  }

  async #invoke({ ask, call, callback, service, fn, args }) {
    let reply;
    try {
      let f, self;
      if (call !== undefined) {
        f = this.#pending.get(call)?.callbacks[callback];
      } else {
        self = this.#services.get(service);
        f = self?.[fn];
      }
      if (typeof f !== "function") throw new Error(`no handler ${service ?? "callback"}.${fn ?? callback} in the page`);
      reply = { ok: true, value: await f.apply(self, args) };
    } catch (e) {
      reply = { ok: false, error: encodeError(e) };
    }
    try {
      this.#worker.postMessage({ op: "reply", ask, ...reply });
    } catch (e) {
      // A value structured clone cannot copy (a function, …): the call fails with why.
      const error = encodeError(new Error(`value is not JSON-serializable: ${e.message}`));
      this.#worker.postMessage({ op: "reply", ask, ok: false, error });
    }
  }

  #setState(state) {
    if (this.#state === state || this.#state === "disconnected") return;
    this.#state = state;
    for (const { listener } of [...this.#listeners]) {
      try {
        listener(state);
      } catch (e) {
        console.error(e);
      }
    }
  }

  #fail(message, code = "CONNECTION") {
    for (const [, { reject }] of this.#pending) reject(new FluenceError(code, message, null, this.#relay));
    this.#pending.clear();
  }
}

/**
 * A client that runs in a Web Worker (the package's worker.js): connects it to `relay`
 * with `config` (keyPair as js-client's `{ type, source }` or a `KeyPair`, whose seed crosses,
 * as the worker has its own Wasm) and resolves once connected. Options: `{ worker }`, a
 * `Worker` already started on the package's worker.js.
 */
export async function connectInWorker(relay, config = {}, options = {}) {
  if (config !== null && typeof config !== "object") throw bad("config must be an object");
  const { worker: _flag, WebSocket, ...rest } = config ?? {};
  if (WebSocket !== undefined) throw bad("config.WebSocket cannot cross into a worker (the worker uses its own)");
  if (rest.sigSecurityGuard != null) {
    throw bad("config.sigSecurityGuard: the guard is called synchronously by AquaVM's sig.sign and cannot run across postMessage; connect in the page (createClient without worker) to use it");
  }
  if (rest.keyPair && typeof rest.keyPair.__handle === "number") {
    // A KeyPair lives in the page's Wasm: its seed crosses, as js-client's key option.
    rest.keyPair = { type: "Ed25519", source: rest.keyPair.toEd25519PrivateKey() };
  }
  if (options.worker === undefined && typeof Worker === "undefined") {
    throw bad("this runtime has no Web Worker (connectInWorker and config.worker are for pages)");
  }
  const worker = options.worker ?? (await startWorker());
  const client = new WorkerClient(worker, relay);
  try {
    await client.__connect(rest);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return client;
}
