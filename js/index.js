// fluence-client: the package entry. core.js (the Wasm bindings, `Fluence`,
// `createClient`, the targets of Aqua-compiled JS) plus the page-side proxy of a client in
// a Web Worker (worker-client.js: `connectInWorker`, `WorkerClient`, `config.worker`)
// and the rest of js-client's surface (compat.js: relay lists, key helpers,
// callAquaFunction / registerService, ClientPeer, the sig guard helpers).
// scripts/package.mjs copies the js/ files into pkg/.
import { __setWorkerConnector } from "./core.js";
import { WorkerClient, connectInWorker } from "./worker-client.js";

__setWorkerConnector(connectInWorker);

export * from "./core.js";
export * from "./compat.js";
export { default } from "./core.js";
export { WorkerClient, connectInWorker };
