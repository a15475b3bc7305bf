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
export function createClient(relay: Relay, config?: ClientConfig): Promise<FluenceClient>;

/** The default client, used by compiled Aqua when no client is passed. */
export const Fluence: {
  /** The default client, or undefined before `connect`. */
  defaultClient: FluenceClient | undefined;
  /** Connects the default client (replacing, and disconnecting, a previous one). */
  connect(relay: Relay, config?: ClientConfig): Promise<void>;
  /** Disconnects the default client. */
  disconnect(): Promise<void>;
  /** Watches the default client's state; returns `off`. */
  onConnectionStateChange(handler: (state: ConnectionState) => void): () => void;
  /** The default client; throws a CONNECTION FluenceError before `connect`. */
  getClient(): FluenceClient;
};

/** js-client's name for a client (the type compiled Aqua's `.d.ts` imports). */
export type IFluenceClient = FluenceClient;
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
