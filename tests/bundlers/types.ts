// What a TypeScript app sees (tsc --strict, lib es2022 + dom, no skipLibCheck): every
// entry of the package and its Wasm subpath have types.
import init, { FluenceClient, FluenceError, KeyPair, connectInWorker, createClient, type WorkerClient } from "fluence-client";
import * as inline from "fluence-client/inline";
import * as bindings from "fluence-client/fluence_client.js";
import * as wasm from "fluence-client/fluence_client_bg.wasm";

export async function typed(relay: string): Promise<string> {
  await init();
  const client: FluenceClient = await FluenceClient.connect(relay, { keyPair: KeyPair.random() });
  const inWorker: WorkerClient = await connectInWorker(relay);
  const other: WorkerClient = await createClient(relay, { worker: true });
  const plain: FluenceClient = await inline.createClient(relay);
  const result = await client.callAir("(null)", { x: 1 }, { ttlMs: 1000 });
  const e = new FluenceError("LOAD", "x");
  void bindings.version;
  void wasm.memory;
  await Promise.all([client, inWorker, other, plain].map((c) => c.disconnect()));
  return `${String(result)} ${e.code}`;
}
