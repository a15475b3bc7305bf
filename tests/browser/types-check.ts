// Compiled with `tsc --noEmit --strict` against pkg/fluence_client.d.ts by the test
// command: the package's types must describe the API (no `any` for config, handlers,
// call params or errors). Never run.
import init, {
  FluenceClient,
  FluenceError,
  KeyPair,
  type CallParams,
  type ClientConfig,
  type ConnectionState,
  type FluenceErrorCode,
  type JSONValue,
} from "../../pkg/fluence_client.js";

export async function typed(relay: string): Promise<JSONValue> {
  await init();
  const config: ClientConfig = {
    keyPair: KeyPair.fromSeed(new Uint8Array(32)),
    defaultTtlMs: 7000,
    dialTimeoutMs: 5000,
    reconnect: true,
    logLevel: "info",
  };
  const client: FluenceClient = await FluenceClient.connect(relay, config);
  const state: ConnectionState = client.connectionState;
  const off: () => void = client.onConnectionStateChange((s: ConnectionState) => void s);
  off();
  client.registerService("chat", {
    receive: (...args: [...JSONValue[], CallParams]) => {
      const params = args[args.length - 1] as CallParams;
      const sig: Uint8Array = params.signature;
      return `${params.particleId} ${params.initPeerId} ${params.ttl} ${sig.length} ${state}`;
    },
    later: async () => 1,
  });
  try {
    return await client.callAir("(null)", { a: 1, b: [true, null] }, { ttlMs: 1000 });
  } catch (e) {
    if (e instanceof FluenceError) {
      const code: FluenceErrorCode = e.code;
      const id: string | null = e.particleId;
      return [code, id];
    }
    throw e;
  } finally {
    await client.disconnect();
  }
}

export async function rejected(relay: string) {
  // @ts-expect-error defaultTtlMs is a number
  await FluenceClient.connect(relay, { defaultTtlMs: "7000" });
  // @ts-expect-error logLevel is one of the known levels
  await FluenceClient.connect(relay, { logLevel: "loud" });
  const c = await FluenceClient.connect(relay);
  await c.callAir("(null)");
  // @ts-expect-error handlers return JSON values
  c.registerService("x", { f: () => new Map() });
  // @ts-expect-error the state is a known string
  const s: "open" = c.connectionState;
  return s;
}
