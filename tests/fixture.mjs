// Fixture apps install the package as an app does: from the tarball `npm pack` makes of
// pkg/ (so the package's `files` and `exports` are what is tested), unpacked into the
// app's node_modules under each name asked for (e.g. also "@fluencelabs/js-client", the
// alias an app uses for Aqua-compiled code: `npm i @fluencelabs/js-client@npm:fluence-client`).
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const run = promisify(execFile);
export const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const packDir = join(root, "tests", "output", "pack");
let tarball;

/** The tarball of pkg/ (packed once per process). */
export async function packPackage() {
  if (tarball) return tarball;
  await rm(packDir, { recursive: true, force: true });
  await mkdir(packDir, { recursive: true });
  const { stdout } = await run("npm", ["pack", join(root, "pkg"), "--pack-destination", packDir, "--silent"]);
  tarball = join(packDir, stdout.trim().split("\n").pop());
  return tarball;
}

/** Unpacks the package into `app`/node_modules under each of `names`. */
export async function installPackage(app, names = ["fluence-client"]) {
  const file = await packPackage();
  for (const name of names) {
    const dir = join(app, "node_modules", name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await run("tar", ["-xzf", file, "-C", dir, "--strip-components=1"]);
  }
}

/** A fresh app folder in tests/output/<name>, with the files of `from` (if given). */
export async function freshApp(name, from) {
  const app = join(root, "tests", "output", name);
  await rm(app, { recursive: true, force: true });
  await mkdir(app, { recursive: true });
  if (from) await cp(from, app, { recursive: true });
  return app;
}

/** Copies the compiled Aqua (tests/output/aqua-compat/*.js) and scenario.js into `dir`. */
export async function copyAquaScenario(dir) {
  const compiled = join(root, "tests", "output", "aqua-compat");
  await mkdir(dir, { recursive: true });
  for (const f of await readdir(compiled)) {
    if (f.endsWith(".js")) await cp(join(compiled, f), join(dir, f));
  }
  await cp(join(root, "tests", "aqua-compat", "scenario.js"), join(dir, "scenario.js"));
}
