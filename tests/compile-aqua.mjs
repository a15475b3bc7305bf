// Compiles every tests/aqua/*.aqua with the real Aqua compiler (@fluencelabs/aqua-api,
// offline) and writes, beside each source, a folder with one <function>.air per exported
// function and defs.json (the compiler's FunctionCallDef / ServiceDef).
//
//   node compile-aqua.mjs          regenerate
//   node compile-aqua.mjs --check  fail if the checked-in output differs from the compiler's
import { compileFromPath } from "@fluencelabs/aqua-api";
import { plain } from "./aqua-api-plain.mjs";
import { readdir, readFile, writeFile, mkdir, rm } from "node:fs/promises";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";


const here = dirname(fileURLToPath(import.meta.url));
const aquaDir = join(here, "aqua");
const check = process.argv.includes("--check");
let failed = false;

for (const file of (await readdir(aquaDir)).filter((f) => f.endsWith(".aqua")).sort()) {
  const filePath = join(aquaDir, file);
  const res = await compileFromPath({ filePath, targetType: "air" });
  if (res.errors.length > 0) {
    console.error(`${file}: compilation failed:\n${res.errors.join("\n")}`);
    process.exit(1);
  }
  const outDir = join(aquaDir, basename(file, ".aqua"));
  const outputs = new Map();
  const defs = { functions: {}, services: plain(res.services) };
  for (const [name, fn] of Object.entries(res.functions).sort()) {
    outputs.set(`${name}.air`, fn.script.trimEnd() + "\n");
    defs.functions[name] = plain(fn.funcDef);
  }
  outputs.set("defs.json", JSON.stringify(defs, null, 2) + "\n");
  if (check) {
    for (const [name, text] of outputs) {
      let old = null;
      try {
        old = await readFile(join(outDir, name), "utf8");
      } catch {}
      if (old !== text) {
        console.error(`${file}: ${name} is stale; run: npm --prefix tests run compile-aqua`);
        failed = true;
      }
    }
  } else {
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    for (const [name, text] of outputs) await writeFile(join(outDir, name), text);
    console.log(`${file}: ${outputs.size - 1} functions -> ${outDir}`);
  }
}
if (failed) process.exit(1);
if (check) console.log("compiled Aqua is up to date");
