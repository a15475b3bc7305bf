// Compiles tests/aqua-compat/*.aqua with the real Aqua compiler (@fluencelabs/aqua-api)
// and turns the result into JS with @fluencelabs/aqua-to-js, exactly as an app's build
// would: modules that import v5_callFunction / v5_registerService from
// "@fluencelabs/js-client". Output: tests/output/aqua-compat/<name>.js (+ .d.ts), and
// the TypeScript flavour in tests/output/aqua-compat/ts/<name>.ts.
//   node tests/aqua-compat/compile.mjs
import { compileFromPath } from "@fluencelabs/aqua-api";
import { plain } from "../aqua-api-plain.mjs";
import aquaToJs from "@fluencelabs/aqua-to-js";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const outDir = join(here, "..", "output", "aqua-compat");


export async function compileAll() {
  await mkdir(join(outDir, "ts"), { recursive: true });
  const names = [];
  for (const file of (await readdir(here)).filter((f) => f.endsWith(".aqua")).sort()) {
    const res = await compileFromPath({ filePath: join(here, file), targetType: "air" });
    if (res.errors.length > 0) {
      throw new Error(`${file}: compilation failed:\n${res.errors.join("\n")}`);
    }
    const js = await aquaToJs(plain(res), "js");
    if (js === null) throw new Error(`${file}: nothing to generate`);
    const name = basename(file, ".aqua");
    await writeFile(join(outDir, `${name}.js`), js.sources);
    await writeFile(join(outDir, `${name}.d.ts`), js.types);
    // The TypeScript flavour (for the tsc check of the package's types).
    const ts = await aquaToJs(plain(res), "ts");
    await writeFile(join(outDir, "ts", `${name}.ts`), ts.sources);
    names.push(name);
  }
  return names;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = await compileAll();
  console.log(`compiled ${names.join(", ")} -> ${outDir}`);
}
