// fluence-client's entry for Node.js (the `node` condition of the package's `exports`):
// the same API as index.js, with the .wasm read from the package folder instead of
// fetched by URL. Node.js >= 22 has the global WebSocket the client dials with; older
// runtimes may pass one as `config.WebSocket` (e.g. the `ws` package's).
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import init, { __setWasmSource, FluenceError } from "./index.js";

__setWasmSource(async () => {
  const url = new URL("./fluence_client_bg.wasm", import.meta.url);
  let path = url.href;
  try {
    // `.href`: a bundler's server build may hand over a URL of another realm.
    path = fileURLToPath(url.href);
    return { module_or_path: await readFile(path) };
  } catch (e) {
    throw new FluenceError(
      "LOAD",
      `cannot load fluence-client's WebAssembly from ${path}: ${e.message}. ` +
        "Reinstall the package (the file ships in it), or pass its bytes as init({ module_or_path })",
    );
  }
});

// Loaded at import, so the synchronous API (KeyPair, js2aqua, version, …) works at once.
// A failure does not fail the import (e.g. a framework's server build that never uses
// the client): `init()` and `connect` retry and reject with the LOAD error.
await init().catch(() => {});

export * from "./index.js";
export { default } from "./index.js";
