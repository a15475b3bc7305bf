// fluence-client: the package entry. Re-exports the Wasm bindings and adds what
// Aqua-compiled JS (aqua-to-js) and js-client apps import: `Fluence`, `createClient`,
// `v5_callFunction`, `v5_registerService`. Only the JS-only parts live here (which client,
// which argument form); checks and conversions are Rust (`__callFunction`,
// `__registerService`). scripts/package.mjs copies this file into pkg/.
import wasmInit, {
  FluenceClient,
  FluenceError,
  __callFunction,
  __registerService,
} from "./fluence_client.js";

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

/**
 * Loads the Wasm module, once; later calls return the same promise. `input` is what
 * wasm-bindgen's init takes (`{ module_or_path }`: a URL, Response, bytes or module);
 * by default the .wasm file beside this module. `Fluence.connect` and `createClient`
 * call it themselves.
 */
export default function init(input) {
  loading ??= wasmInit(input);
  return loading;
}

function relayAddress(relay) {
  if (relay !== null && typeof relay === "object" && typeof relay.multiaddr === "string") {
    return relay.multiaddr; // js-client's { peerId, multiaddr } form
  }
  return relay;
}

/** A connected client that is not the default one (js-client's `createClient`). */
export async function createClient(relay, config) {
  await init();
  return FluenceClient.connect(relayAddress(relay), config);
}

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
  const explicit = args[0] instanceof FluenceClient;
  const client = explicit ? args[0] : defaultClient();
  return __callFunction(client, explicit ? args.slice(1) : args, def, script);
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
  } else if (args.length === 2 && args[0] instanceof FluenceClient) {
    [client, impl] = args;
  } else if (args.length === 2) {
    [serviceId, impl] = args;
  } else if (args.length === 3) {
    [client, serviceId, impl] = args;
    if (!(client instanceof FluenceClient)) {
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
  __registerService(client ?? defaultClient(), serviceId, impl, def);
}
