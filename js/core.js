// fluence-client's core entry: the Wasm bindings, and what Aqua-compiled JS (aqua-to-js)
// and js-client apps import: `Fluence`, `createClient`, `v5_callFunction`,
// `v5_registerService`. Only the JS-only parts live here (which client, which argument
// form, where the .wasm comes from); checks and conversions are Rust (`__callFunction`,
// `__registerService`). index.js adds the Web Worker proxy; the worker script imports
// this module alone (so the worker's bundle does not refer to the worker again).
import wasmInit, {
  FluenceClient,
  FluenceError,
  KeyPair,
  __callFunction,
  __registerService,
  version,
} from "./fluence_client.js";
import { viteOriginals } from "./vite.js";
import { IS_WORKER_CLIENT } from "./worker-protocol.js";

// The page-side proxy's connect (index.js sets it): used for `config.worker`.
let connectInWorker;

/** @internal Set by index.js. */
export function __setWorkerConnector(connect) {
  connectInWorker = connect;
}
export {
  FluenceClient,
  FluenceError,
  KeyPair,
  aqua2js,
  initSync,
  interpreterVersion,
  js2aqua,
  version,
} from "./fluence_client.js";

let loading;
// Where the .wasm comes from when init() is given nothing: set by the Node entry (the
// package folder) and the inline entry (bytes in the JS); else fetched beside this module.
let wasmSource;

/** @internal Used by the package's other entries (node.js, inline.js). */
export function __setWasmSource(source) {
  wasmSource = source;
}

/**
 * Loads the Wasm module, once; later calls return the same promise (a failed load may be
 * retried). `input` is what wasm-bindgen's init takes (`{ module_or_path }`: a URL,
 * Response, bytes or module); by default the .wasm file beside this module.
 * `Fluence.connect` and `createClient` call it themselves. Rejects with a `FluenceError`
 * of code `LOAD` that names the URL tried and the fix.
 */
export default function init(input) {
  loading ??= (input !== undefined ? wasmInit(input) : loadDefault()).catch((e) => {
    loading = undefined;
    throw e instanceof FluenceError ? e : loadError(input, e?.message ?? String(e));
  });
  return loading;
}

function loadError(where, why, fix) {
  const what = where instanceof URL || typeof where === "string" ? String(where) : "the given module";
  return new FluenceError(
    "LOAD",
    `cannot load fluence-client's WebAssembly from ${what}: ${why}. ${fix ?? FIX}`,
  );
}

const FIX =
  "Serve fluence_client_bg.wasm (from the package folder) at that URL, pass its location " +
  "as init({ module_or_path }), or import \"fluence-client/inline\", which carries the Wasm in the JS";

// True once the module is instantiated (e.g. by the app's own initSync).
function instantiated() {
  try {
    version();
    return true;
  } catch {
    return false;
  }
}

async function loadDefault() {
  // Already there: wasm-bindgen's init returns it without loading anything.
  if (instantiated()) return wasmInit();
  if (wasmSource !== undefined) return wasmInit(await wasmSource());
  let url;
  try {
    // A literal, so that bundlers (Vite, webpack) find the file, emit it and rewrite this.
    url = new URL("./fluence_client_bg.wasm", import.meta.url);
  } catch {
    throw loadError(
      "fluence_client_bg.wasm beside the module",
      `this bundle has no usable import.meta.url (${JSON.stringify(import.meta.url ?? null)}; ` +
        "e.g. an esbuild IIFE bundle)",
      'Import "fluence-client/inline" (the Wasm inside the JS), bundle as ESM and copy ' +
        "fluence_client_bg.wasm beside the bundle, or pass init({ module_or_path })",
    );
  }
  // Under Vite 6/7's dev server the pre-bundled copy's URL points into its dependency
  // cache, without the .wasm: the originals in the package folder are tried next.
  const originals = viteOriginals(url, "fluence_client_bg.wasm");
  const failures = [];
  for (const candidate of [url, ...originals]) {
    const found = await fetchWasm(candidate);
    if (typeof found !== "string") return wasmInit({ module_or_path: found });
    failures.push(failures.length === 0 ? found : `${candidate}: ${found}`);
  }
  if (originals.length === 0) throw loadError(url, failures[0]);
  throw loadError(
    url,
    `${failures[0]} (and ${failures.slice(1).join("; ")})`,
    'Add optimizeDeps: { exclude: ["fluence-client"] } to the Vite config, or import "fluence-client/inline"',
  );
}

// The module's bytes (or its Response, for streaming compilation), or why not.
async function fetchWasm(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    return `fetch failed (${e?.cause?.message ?? e?.message ?? e})`;
  }
  if (!response.ok) return `HTTP ${response.status} ${response.statusText}`.trim();
  if ((response.headers.get("content-type") ?? "").startsWith("application/wasm")) {
    return response;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    const type = response.headers.get("content-type") || "no content type";
    return `the server answered with something else (${type}, ${bytes.length} bytes, not a .wasm file)`;
  }
  return bytes;
}

// KeyPair's async constructors (js-client's are async) load the Wasm first too, so an app
// may make its identity before connecting, as it does with js-client.
for (const name of ["randomEd25519", "fromEd25519SK"]) {
  const made = KeyPair[name];
  KeyPair[name] = async function (...args) {
    await init();
    return made.apply(KeyPair, args);
  };
}

// `FluenceClient.connect` loads the Wasm first, as `createClient` does.
const connectLoaded = FluenceClient.connect;
FluenceClient.connect = async function connect(relay, config) {
  if (config?.worker) {
    throw new FluenceError(
      "INVALID_ARGUMENT",
      "config.worker: FluenceClient.connect runs the client here; use createClient, Fluence.connect or connectInWorker for a client in a worker",
    );
  }
  await init();
  return connectLoaded.call(FluenceClient, relay, config);
};

function relayAddress(relay) {
  if (relay !== null && typeof relay === "object" && typeof relay.multiaddr === "string") {
    return relay.multiaddr; // js-client's { peerId, multiaddr } form
  }
  return relay;
}

/**
 * A connected client that is not the default one (js-client's `createClient`). With
 * `config.worker` (true, or a `Worker` started on the package's worker.js) the client
 * runs in a Web Worker and this resolves with its page-side `WorkerClient`.
 */
export async function createClient(relay, config) {
  if (config?.worker) {
    if (connectInWorker === undefined) {
      throw new FluenceError("INVALID_ARGUMENT", "config.worker: a worker cannot start another worker");
    }
    const worker = config.worker === true ? undefined : config.worker;
    return connectInWorker(relayAddress(relay), config, { worker });
  }
  return FluenceClient.connect(relayAddress(relay), config); // which loads the Wasm
}

const isWorkerClient = (c) => c?.[IS_WORKER_CLIENT] === true;
const isClient = (c) => c instanceof FluenceClient || isWorkerClient(c);

/** @internal A client of this package (in this thread, or a worker's proxy); compat.js uses it. */
export const __isClient = isClient;

const notConnected = () =>
  new FluenceError(
    "CONNECTION",
    "Fluence client is not initialized. Call Fluence.connect() first",
  );

function disconnectedOff() {
  const off = () => {};
  off[Symbol.toPrimitive] = () => "disconnected";
  return off;
}

/** The default client, used by compiled Aqua when no client is passed. */
export const Fluence = {
  /** The default client, or undefined before `connect`. */
  defaultClient: undefined,

  /** Connects the default client (replacing, and disconnecting, a previous one). */
  async connect(relay, config) {
    const client = await createClient(relay, config);
    const previous = Fluence.defaultClient;
    Fluence.defaultClient = client;
    await previous?.disconnect();
  },

  /** Disconnects the default client. */
  async disconnect() {
    const client = Fluence.defaultClient;
    Fluence.defaultClient = undefined;
    await client?.disconnect();
  },

  /**
   * Watches the default client's state; returns `off` (which also converts to the
   * current state, as js-client returns it). Without a default client: nothing to
   * watch, and the state is "disconnected".
   */
  onConnectionStateChange(handler) {
    return Fluence.defaultClient?.onConnectionStateChange(handler) ?? disconnectedOff();
  },

  /** The default client; throws a CONNECTION FluenceError before `connect`. */
  getClient() {
    if (Fluence.defaultClient === undefined) throw notConnected();
    return Fluence.defaultClient;
  },
};

function defaultClient() {
  if (Fluence.defaultClient === undefined) {
    throw new FluenceError(
      "CONNECTION",
      "Could not call or register Aqua because the client is not initialized. Did you forget to call Fluence.connect()?",
    );
  }
  return Fluence.defaultClient;
}

/**
 * Target of aqua-to-js functions: `args` are `[client?, ...arguments, config?]`.
 * Resolves with the function's result (null for functions without results).
 */
export async function v5_callFunction(args, def, script) {
  if (!Array.isArray(args)) throw new FluenceError("INVALID_ARGUMENT", "args must be an array");
  const explicit = isClient(args[0]);
  const client = explicit ? args[0] : defaultClient();
  const rest = explicit ? args.slice(1) : args;
  if (isWorkerClient(client)) return client.__callFunction(rest, def, script);
  return __callFunction(client, rest, def, script);
}

/**
 * Target of aqua-to-js services: `args` are `[impl]`, `[serviceId, impl]`,
 * `[client, impl]` or `[client, serviceId, impl]`.
 */
export function v5_registerService(args, def) {
  if (!Array.isArray(args)) throw new FluenceError("INVALID_ARGUMENT", "args must be an array");
  let client, serviceId, impl;
  if (args.length === 1) {
    [impl] = args;
  } else if (args.length === 2 && isClient(args[0])) {
    [client, impl] = args;
  } else if (args.length === 2) {
    [serviceId, impl] = args;
  } else if (args.length === 3) {
    [client, serviceId, impl] = args;
    if (!isClient(client)) {
      throw new FluenceError("INVALID_ARGUMENT", "the first of three arguments must be a FluenceClient");
    }
  } else {
    throw new FluenceError(
      "INVALID_ARGUMENT",
      `a service registration takes [client,] [serviceId,] implementation; got ${args.length} arguments`,
    );
  }
  if (serviceId !== undefined && typeof serviceId !== "string") {
    throw new FluenceError("INVALID_ARGUMENT", `serviceId must be a string, got ${typeof serviceId}`);
  }
  client ??= defaultClient();
  if (isWorkerClient(client)) return client.__registerService(serviceId, impl, def);
  __registerService(client, serviceId, impl, def);
}
