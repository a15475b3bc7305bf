// fluence-client with its WebAssembly inside the JS (`import … from "fluence-client/inline"`):
// for bundles that cannot follow `new URL(…, import.meta.url)` to the .wasm file (an
// esbuild IIFE, Rollup or esbuild ESM without an asset plugin). The same API as index.js;
// ~33% more bytes than the .wasm file (base64). scripts/package.mjs writes wasm-inline.js.
import { __setWasmSource } from "./index.js";
import { wasmBase64 } from "./wasm-inline.js";

__setWasmSource(async () => {
  const text = atob(wasmBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return { module_or_path: bytes };
});

export * from "./index.js";
export { default } from "./index.js";
