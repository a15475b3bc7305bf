// Types of the package entry (index.js): the Wasm bindings' types plus the default
// client and the targets of Aqua-compiled JS.
import type {
  AquaType,
  ClientConfig,
  CallParams,
  ConnectionState,
  FluenceClient,
  InitInput,
  InitOutput,
  JSONValue,
  KeyPair,
  SecurityTetraplet,
} from "./fluence_client.js";

export * from "./fluence_client.js";

/** Loads the Wasm module once (later calls return the same promise). */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> },
): Promise<InitOutput>;

/** js-client's `Relay`: a relay's PeerId and multiaddr. */
export interface Relay {
  peerId: string;
  multiaddr: string;
}
/** js-client's `RelayOptions`: a relay's multiaddr, or a `Relay`. */
export type RelayOptions = string | Relay;

/** A connected client that is not the default one (js-client's `createClient`). */
export function createClient(
  relay: RelayOptions,
  config: ClientConfig & { worker: true | { postMessage(message: unknown): void; terminate(): void } },
): Promise<WorkerClient>;
export function createClient(relay: RelayOptions, config?: ClientConfig): Promise<FluenceClient>;

/**
 * A client whose network and AquaVM run in a Web Worker (the package's worker.js), with
 * the surface of a `FluenceClient`. Service handlers and callbacks run in the page, called
 * over postMessage; registration errors are reported on the console.
 */
export class WorkerClient {
  private constructor();
  readonly peerId: string;
  readonly relayPeerId: string;
  readonly connectionState: ConnectionState;
  getPeerId(): string;
  getRelayPeerId(): string;
  onConnectionStateChange(listener: (state: ConnectionState) => void): () => void;
  callAir(script: string, args?: Record<string, unknown>, options?: { ttlMs?: number }): Promise<JSONValue>;
  registerService(serviceId: string, service: Record<string, (...args: any[]) => unknown>): void;
  unregisterService(serviceId: string): void;
  disconnect(): Promise<void>;
}

/**
 * Starts the package's worker.js (or uses `options.worker`), connects the client in it
 * and resolves with its page-side proxy. `config` as for `connect`, except `WebSocket`
 * and `sigSecurityGuard` (a `KeyPair` crosses as its seed).
 */
export function connectInWorker(
  relay: string,
  config?: ClientConfig,
  options?: { worker?: { postMessage(message: unknown): void; terminate(): void } },
): Promise<WorkerClient>;

/** A client of this package: in this thread, or in a Web Worker. */
export type AnyClient = FluenceClient | WorkerClient;

/** The default client, used by compiled Aqua when no client is passed. */
export const Fluence: {
  /** The default client, or undefined before `connect`. */
  defaultClient: AnyClient | undefined;
  /** Connects the default client (replacing, and disconnecting, a previous one). */
  connect(relay: RelayOptions, config?: ClientConfig): Promise<void>;
  /** Disconnects the default client. */
  disconnect(): Promise<void>;
  /** Watches the default client's state; returns `off`. */
  onConnectionStateChange(handler: (state: ConnectionState) => void): () => void;
  /** The default client; throws a CONNECTION FluenceError before `connect`. */
  getClient(): AnyClient;
};

/** js-client's name for a client (the type compiled Aqua's `.d.ts` imports). */
export type IFluenceClient = AnyClient;
/** js-client's name for the context passed last to every service function. */
export type ParticleContext = CallParams;

/** The compiler's `FunctionCallDef`. */
export interface FunctionCallDef {
  functionName: string;
  arrow: ArrowType;
  names?: Record<string, string>;
}
/** The compiler's `ServiceDef`. */
export interface ServiceDef {
  defaultServiceId?: string;
  functions: { tag: "labeledProduct"; fields: Record<string, ArrowType> } | { tag: "nil" };
}
export interface ArrowType {
  tag: "arrow";
  domain: AquaType;
  codomain: AquaType;
}

/** Target of aqua-to-js functions: `[client?, ...arguments, config?]`. */
export function v5_callFunction(
  args: unknown[],
  def: FunctionCallDef,
  script: string,
): Promise<unknown>;
/** Target of aqua-to-js services: `[client?, serviceId?, implementation]`. */
export function v5_registerService(args: unknown[], def: ServiceDef): void;

// --- The rest of js-client 0.9.0's surface (compat.js) ---

/** js-client's `KeyPairOptions` (the form `config.keyPair` and `fromOpts` take). */
export interface KeyPairOptions {
  type: "Ed25519";
  source: "random" | Uint8Array;
}
/** The public Fluence relays as js-client 0.9.0 lists them. */
export const kras: Relay[];
export const stage: Relay[];
export const testNet: Relay[];
export function randomKras(): Relay;
export function randomStage(): Relay;
export function randomTestNet(): Relay;

/** js-client's `fromBase64Sk`: the key pair of a base64 32-byte seed. */
export function fromBase64Sk(sk: string): Promise<KeyPair>;
/** js-client's `fromBase58Sk`: the key pair of a base58 32-byte seed. */
export function fromBase58Sk(sk: string): Promise<KeyPair>;
/** js-client's `fromOpts`. */
export function fromOpts(opts: KeyPairOptions): Promise<KeyPair>;

/** The one argument js-client passes to a function it serves. */
export interface JsClientServiceCall {
  args: JSONValue[];
  context: CallParams;
}
/** js-client's `ServiceImpl`: functions that get `{ args, context }`. */
export type JsClientServiceImpl = Record<
  string,
  (call: JsClientServiceCall) => JSONValue | undefined | void | Promise<JSONValue | undefined | void>
>;
/** js-client's `CallAquaFunctionArgs`. */
export interface CallAquaFunctionArgs {
  script: string;
  config?: { ttl?: number } | undefined;
  peer: AnyClient;
  args: { [name: string]: JSONValue | ((call: JsClientServiceCall) => unknown) };
  fireAndForget?: boolean;
}
/** js-client's `callAquaFunction`: runs AIR; resolves with `callbackSrv.response`'s arguments. */
export function callAquaFunction(call: CallAquaFunctionArgs): Promise<JSONValue>;
/** js-client's `registerService`: each function gets `{ args, context }`. */
export function registerService(registration: {
  peer: AnyClient;
  serviceId: string;
  service: JsClientServiceImpl | object;
}): void;

/** js-client's `ClientPeer`: every client of this package is `instanceof ClientPeer`. */
export type ClientPeer = AnyClient;
export const ClientPeer: {
  [Symbol.hasInstance](value: unknown): value is AnyClient;
  readonly prototype: AnyClient;
};

/** A guard of `sig.sign` (`config.sigSecurityGuard`): may this call sign? */
export type SecurityGuard = (params: CallParams) => boolean;
export function allowTetraplet(pred: (tetraplet: SecurityTetraplet) => boolean): SecurityGuard;
export function allowServiceFn(serviceId: string, fnName: string): SecurityGuard;
export function allowExactJsonPath(jsonPath: string): SecurityGuard;
export function allowOnlyParticleOriginatedAt(peerId: string): SecurityGuard;
export function and(...predicates: SecurityGuard[]): SecurityGuard;
export function or(...predicates: SecurityGuard[]): SecurityGuard;
/** js-client's default guard of `sig.sign` for the peer `peerId`. */
export function defaultSigGuard(peerId: string): SecurityGuard;
