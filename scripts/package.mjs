// Turns wasm-pack's output in pkg/ into the npm package `fluence-client`: adds the
// entry (js/index.js + js/index.d.ts: Fluence, createClient, v5_callFunction,
// v5_registerService over the Wasm bindings), the package README (js/README.md), and a
// package.json whose entry point and `exports` are that file. Run by build-pkg.sh.
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
for (const [from, to] of [
  ["js/index.js", "index.js"],
  ["js/index.d.ts", "index.d.ts"],
  ["js/README.md", "README.md"],
]) {
  await copyFile(join(root, from), join(pkg, to));
}
const manifest = JSON.parse(await readFile(join(pkg, "package.json"), "utf8"));
const files = new Set([...(manifest.files ?? []), "index.js", "index.d.ts", "README.md"]);
const out = {
  name: "fluence-client",
  version: manifest.version,
  description: manifest.description,
  license: manifest.license,
  type: "module",
  main: "./index.js",
  module: "./index.js",
  types: "./index.d.ts",
  exports: {
    ".": { types: "./index.d.ts", default: "./index.js" },
    "./fluence_client.js": { types: "./fluence_client.d.ts", default: "./fluence_client.js" },
    "./fluence_client_bg.wasm": "./fluence_client_bg.wasm",
    "./package.json": "./package.json",
  },
  files: [...files].sort(),
  sideEffects: manifest.sideEffects ?? false,
  keywords: ["fluence", "aqua", "p2p", "webassembly", "libp2p"],
};
await writeFile(join(pkg, "package.json"), JSON.stringify(out, null, 2) + "\n");
console.log(`pkg/: ${out.name}@${out.version}, entry index.js, ${out.files.length} files`);
