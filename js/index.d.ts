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
} from "./fluence_client.js";

export * from "./fluence_client.js";

/** Loads the Wasm module once (later calls return the same promise). */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> },
): Promise<InitOutput>;

/** A relay: its multiaddr, or js-client's `{ peerId, multiaddr }`. */
export type Relay = string | { peerId: string; multiaddr: string };

/** A connected client that is not the default one (js-client's `createClient`). */
export function createClient(
  relay: Relay,
  config: ClientConfig & { worker: true | { postMessage(message: unknown): void; terminate(): void } },
): Promise<WorkerClient>;
export function createClient(relay: Relay, config?: ClientConfig): Promise<FluenceClient>;

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
 * and a `KeyPair` object (pass js-client's `{ type: "Ed25519", source: seed }`).
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
  connect(relay: Relay, config?: ClientConfig): Promise<void>;
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
