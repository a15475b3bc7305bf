// The rest of @fluencelabs/js-client 0.9.0's public surface, for apps written against it
// (not only compiled Aqua): its key helpers (`fromBase64Sk`, `fromBase58Sk`, `fromOpts`;
// core.js makes KeyPair's async constructors load the Wasm first), its low-level calls
// under its names and calling convention (`callAquaFunction`, `registerService`: each
// service function gets ONE argument `{ args, context }`), `ClientPeer`, the relay lists,
// and the `sig.sign` guard helpers. The checks stay ours: bad input is a FluenceError.
// No side effects: a bundler drops what an app does not import.
import init, { FluenceError, KeyPair, __isClient as isClient } from "./core.js";

export { kras, randomKras, randomStage, randomTestNet, stage, testNet } from "./relays.js";

const bad = (message) => new FluenceError("INVALID_ARGUMENT", message);

/** js-client's `fromBase64Sk`: the key pair of a base64 32-byte seed. */
export async function fromBase64Sk(sk) {
  await init();
  return KeyPair.fromBase64Sk(sk);
}

/** js-client's `fromBase58Sk`: the key pair of a base58 32-byte seed. */
export async function fromBase58Sk(sk) {
  await init();
  return KeyPair.fromBase58Sk(sk);
}

/** js-client's `fromOpts`: `{ type: "Ed25519", source: "random" | Uint8Array(32) }`. */
export async function fromOpts(opts) {
  if (opts === null || typeof opts !== "object") {
    throw bad(`key pair options must be { type: "Ed25519", source }, got ${describe(opts)}`);
  }
  if (opts.type !== "Ed25519") {
    throw bad(`key pair options: type must be "Ed25519" (the only type js-client supports), got ${describe(opts.type)}`);
  }
  if (opts.source === "random") return KeyPair.randomEd25519();
  if (!(opts.source instanceof Uint8Array)) {
    throw bad(`key pair options: source must be "random" or a Uint8Array of 32 bytes, got ${describe(opts.source)}`);
  }
  return KeyPair.fromEd25519SK(opts.source);
}

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v;
}

function peerOf(peer, what) {
  if (!isClient(peer)) {
    throw bad(`${what}: peer must be a connected client (createClient's or Fluence.getClient()), got ${describe(peer)}`);
  }
  return peer;
}

// js-client's convention for a function it serves: one argument `{ args, context }`.
// Ours gets the arguments spread, then the call's context (CallParams).
const asJsClientHandler = (fn, self) =>
  function (...argsAndContext) {
    const context = argsAndContext.pop();
    return fn.call(self, { args: argsAndContext, context });
  };

/**
 * js-client's `callAquaFunction({ script, config: { ttl }, peer, args, fireAndForget })`:
 * runs AIR. Values in `args` are served as `getDataSrv.<name>`, functions as
 * `callbackSrv.<name>` (each called with `{ args, context }`, as js-client calls them).
 * Resolves with what the script passes to `callbackSrv.response`; with `fireAndForget`,
 * with null once the script has no local work left.
 */
export async function callAquaFunction(call) {
  if (call === null || typeof call !== "object") throw bad("callAquaFunction takes { script, config?, peer, args, fireAndForget? }");
  const { script, config, args, fireAndForget } = call;
  const peer = peerOf(call.peer, "callAquaFunction");
  if (typeof script !== "string") throw bad(`callAquaFunction: script must be a string of AIR, got ${describe(script)}`);
  if (config !== undefined && (config === null || typeof config !== "object")) {
    throw bad(`callAquaFunction: config must be { ttl? }, got ${describe(config)}`);
  }
  const ttl = config?.ttl;
  if (ttl !== undefined && (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl <= 0)) {
    throw bad(`callAquaFunction: config.ttl must be a positive integer (ms), got ${describe(ttl)}`);
  }
  if (args !== undefined && (args === null || typeof args !== "object" || Array.isArray(args))) {
    throw bad(`callAquaFunction: args must be an object of values and functions, got ${describe(args)}`);
  }
  const served = {};
  for (const [name, value] of Object.entries(args ?? {})) {
    served[name] = typeof value === "function" ? asJsClientHandler(value, undefined) : value;
  }
  const options = ttl === undefined ? {} : { ttlMs: ttl };
  if (fireAndForget === true) options.fireAndForget = true;
  return peer.callAir(script, served, options);
}

// js-client's choice of functions: a class instance's methods (its prototype's own
// functions), else the object's own function properties.
function serviceFunctions(service) {
  const prototype = Object.getPrototypeOf(service);
  const source = prototype !== null && prototype.constructor !== Object ? prototype : service;
  return Object.getOwnPropertyNames(source)
    .filter((name) => name !== "constructor" && typeof source[name] === "function")
    .map((name) => [name, source[name]]);
}

/**
 * js-client's `registerService({ peer, serviceId, service })`: every function of `service`
 * becomes `serviceId.<name>` and gets ONE argument `{ args, context }` (js-client's
 * `ServiceImpl`); it returns the result or a promise of it; throwing fails the call.
 */
export function registerService(registration) {
  if (registration === null || typeof registration !== "object") throw bad("registerService takes { peer, serviceId, service }");
  const { serviceId, service } = registration;
  const peer = peerOf(registration.peer, "registerService");
  if (typeof serviceId !== "string" || serviceId === "") {
    throw bad(`registerService: serviceId must be a non-empty string, got ${describe(serviceId)}`);
  }
  if (service === null || typeof service !== "object") {
    throw bad(`registerService: service must be an object (or class instance) of functions, got ${describe(service)}`);
  }
  const functions = serviceFunctions(service);
  if (functions.length === 0) throw bad(`registerService: service ${JSON.stringify(serviceId)} has no functions`);
  const impl = {};
  for (const [name, fn] of functions) impl[name] = asJsClientHandler(fn, service);
  peer.registerService(serviceId, impl);
}

/**
 * js-client's `ClientPeer`, the class apps name in types and `instanceof`: every client
 * of this package is one (in this thread or behind the worker proxy). Clients are made
 * by `createClient` / `Fluence.connect`, not by `new`.
 */
export class ClientPeer {
  constructor() {
    throw bad("ClientPeer is not constructed directly: use createClient(relay, config) or Fluence.connect");
  }

  static [Symbol.hasInstance](value) {
    return isClient(value);
  }
}

// The guard helpers of js-client's services/securityGuard.js, for `config.sigSecurityGuard`:
// each takes or returns a predicate over a call's CallParams (js-client's ParticleContext).

/** Allows the call when `pred` holds for the first tetraplet of its first argument. */
export const allowTetraplet = (pred) => (params) => {
  const t = params?.tetraplets?.[0]?.[0];
  return t !== undefined && pred(t) === true;
};
/** Allows data that comes from `serviceId.fnName`. */
export const allowServiceFn = (serviceId, fnName) =>
  allowTetraplet((t) => t.service_id === serviceId && t.function_name === fnName);
/** Allows data reached by exactly this lens (json path). */
export const allowExactJsonPath = (jsonPath) => allowTetraplet((t) => t.lens === jsonPath);
/** Allows particles started by `peerId`. */
export const allowOnlyParticleOriginatedAt = (peerId) => (params) => params?.initPeerId === peerId;
/** Allows when every predicate does. */
export const and = (...predicates) => (params) => predicates.every((p) => p(params) === true);
/** Allows when any predicate does. */
export const or = (...predicates) => (params) => predicates.some((p) => p(params) === true);
/**
 * js-client's default guard of `sig.sign` for the peer `peerId` (what a client uses when
 * `sigSecurityGuard` is not given): particles it started, data from the trust-graph and
 * registry functions that produce bytes to sign.
 */
export const defaultSigGuard = (peerId) =>
  and(
    allowOnlyParticleOriginatedAt(peerId),
    or(
      allowServiceFn("trust-graph", "get_trust_bytes"),
      allowServiceFn("trust-graph", "get_revocation_bytes"),
      allowServiceFn("registry", "get_key_bytes"),
      allowServiceFn("registry", "get_record_bytes"),
      allowServiceFn("registry", "get_record_metadata_bytes"),
      allowServiceFn("registry", "get_tombstone_bytes"),
    ),
  );
