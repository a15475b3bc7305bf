// Compiles the demo's chat protocol (www/chat.aqua) with the real Aqua compiler and
// aqua-to-js into www/chat.aqua.js, the module the page imports (it imports
// "@fluencelabs/js-client", which the page's import map points at the package).
//   node tests/compile-www-aqua.mjs          regenerate
//   node tests/compile-www-aqua.mjs --check  fail if the checked-in file is stale
import { compileFromPath } from "@fluencelabs/aqua-api";
import aquaToJs from "@fluencelabs/aqua-to-js";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { plain } from "./aqua-api-plain.mjs";

const www = join(dirname(fileURLToPath(import.meta.url)), "..", "www");
const res = await compileFromPath({ filePath: join(www, "chat.aqua"), targetType: "air" });
if (res.errors.length > 0) {
  console.error(`www/chat.aqua: compilation failed:\n${res.errors.join("\n")}`);
  process.exit(1);
}
const { sources } = await aquaToJs(plain(res), "js");
const target = join(www, "chat.aqua.js");
if (process.argv.includes("--check")) {
  const old = await readFile(target, "utf8").catch(() => null);
  if (old !== sources) {
    console.error("www/chat.aqua.js is stale; run: node tests/compile-www-aqua.mjs");
    process.exit(1);
  }
  console.log("www/chat.aqua.js is up to date");
} else {
  await writeFile(target, sources);
  console.log(`www/chat.aqua -> ${target}`);
}
