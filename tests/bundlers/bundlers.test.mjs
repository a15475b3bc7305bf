// The package in every common bundler, with zero config: each fixture app installs the
// tarball `npm pack` makes of pkg/ (tests/output/bundlers/<case>/node_modules), is built
// (or served by a dev server) with the bundler's defaults, and is loaded in one headless
// Chromium, where it makes one op.identity call through the local relay (and, where the
// bundler follows `new Worker(new URL(…))`, one more through `connectInWorker`). Bundlers that
// cannot follow `new URL(…, import.meta.url)` to the .wasm (esbuild, Rollup) use the
// documented `fluence-client/inline` entry; with the default entry they get a LOAD
// FluenceError that names the URL and that fix. Also: tsc --strict without skipLibCheck,
// publint and @arethetypeswrong/cli on the package. The bundlers come from
// tests/package.json (one shared install).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer as netServer } from "node:net";
import { dirname, join } from "node:path";
import { startRelay } from "../../scripts/relay-process.mjs";
import { launchChromium, serveDir } from "../browser/harness.mjs";
import { freshApp, installPackage, packPackage, root } from "../fixture.mjs";

const here = join(root, "tests", "bundlers");
const bin = (name) => join(root, "tests", "node_modules", ".bin", name);
const hello = await readFile(join(root, "tests", "aqua", "core", "hello.air"), "utf8");
let relay, browser;
const cleanup = [];

before(async () => {
  relay = await startRelay();
  browser = await launchChromium();
});
after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  await browser?.close();
  await relay?.stop();
});

/** A fixture app: main.js importing `specifier`, at `entry`, plus an index.html loading `script`. */
async function app(name, { specifier = "fluence-client", entry = "main.js", script = "./main.js", module = true } = {}) {
  const dir = await freshApp(join("bundlers", name));
  const main = (await readFile(join(here, "main.js"), "utf8")).replaceAll('from "fluence-client"', `from "${specifier}"`);
  await mkdir(dirname(join(dir, entry)), { recursive: true });
  await writeFile(join(dir, entry), main);
  await cp(join(here, "run.js"), join(dirname(join(dir, entry)), "run.js"));
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head>` +
      `<body><script ${module ? 'type="module" ' : ""}src="${script}"></script></body></html>\n`,
  );
  // An app has a package.json (Vite puts its dependency cache in node_modules/.vite beside it).
  await writeFile(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }) + "\n");
  await installPackage(dir);
  return dir;
}

/**
 * Loads `url`, runs the call (in the page, or with `inWorker` through the worker proxy);
 * resolves with what window.run returned and the page's problems.
 */
async function runAt(url, inWorker = false) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/^Failed to load resource/.test(m.text()) && problems.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`HTTP ${r.status()} ${r.url()}`));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 60_000 }).catch((e) => {
      throw new Error(`${url} did not load: ${problems.join("\n") || e}`);
    });
    const out = await page.evaluate(({ addr, script, inWorker }) => window.run(addr, script, inWorker), {
      addr: relay.addr,
      script: hello,
      inWorker,
    });
    return { ...out, problems };
  } finally {
    await page.close();
  }
}

async function serveAndRun(dir, inWorker = false) {
  const site = await serveDir(dir);
  try {
    return await runAt(`${site.url}/`, inWorker);
  } finally {
    await site.close();
  }
}

function assertWorks(r, what) {
  assert.equal(r.error, undefined, `${what}: ${JSON.stringify(r.error)}`);
  assert.equal(r.value, "bundled");
  assert.deepEqual(r.problems, [], `${what}: errors on the page`);
}

for (const [label, vitePkg, withBuild] of [["Vite 8", "vite8", true], ["Vite 7", "vite", true], ["Vite 6", "vite6", false]]) {
  // Vite 6: the dev server only (its failing case); builds are covered by 7 and 8.
  if (withBuild) test(`${label} build, no config`, async () => {
    const { build } = await import(vitePkg);
    const dir = await app(`${vitePkg}-build`);
    await build({ root: dir, configFile: false, logLevel: "warn" });
    assertWorks(await serveAndRun(join(dir, "dist")), `${label} build`);
    assertWorks(await serveAndRun(join(dir, "dist"), true), `${label} build, connectInWorker`);
  });

  test(`${label} dev server, no config (dependencies pre-bundled)`, async () => {
    const { createServer } = await import(vitePkg);
    const dir = await app(`${vitePkg}-dev`);
    const server = await createServer({
      root: dir,
      configFile: false,
      logLevel: "warn",
      server: { host: "127.0.0.1", port: 0, strictPort: false },
    });
    await server.listen();
    cleanup.push(() => server.close());
    const { port } = server.httpServer.address();
    assertWorks(await runAt(`http://127.0.0.1:${port}/`), `${label} dev`);
    assertWorks(await runAt(`http://127.0.0.1:${port}/`, true), `${label} dev, connectInWorker`);
    await server.close();
  });
}

test("webpack 5, defaults only (mode production, src/index.js → dist/main.js)", async () => {
  const { default: webpack } = await import("webpack");
  const dir = await app("webpack", { entry: "src/index.js", script: "./dist/main.js", module: false });
  const stats = await new Promise((resolve, reject) =>
    // The CLI's defaults, run in the app folder: output.path defaults to <cwd>/dist.
    webpack({ context: dir, mode: "production", output: { path: join(dir, "dist") } }, (err, s) => (err ? reject(err) : resolve(s))),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  assertWorks(await serveAndRun(dir), "webpack");
  assertWorks(await serveAndRun(dir, true), "webpack, connectInWorker");
});

const esbuild = (dir, format) =>
  import("esbuild").then(({ build }) =>
    build({
      entryPoints: [join(dir, "main.js")],
      bundle: true,
      outfile: join(dir, "dist", "main.js"),
      logLevel: "silent",
      ...(format ? { format } : {}),
    }),
  );

for (const format of ["esm", undefined]) {
  const name = format === "esm" ? "esbuild --format=esm" : "esbuild (default IIFE)";
  test(`${name} with fluence-client/inline`, async () => {
    const dir = await app(`esbuild-${format ?? "iife"}`, {
      specifier: "fluence-client/inline",
      script: "./dist/main.js",
      module: format === "esm",
    });
    await esbuild(dir, format);
    assertWorks(await serveAndRun(dir), name);
  });
}

test("esbuild (default IIFE) with the default entry: a LOAD FluenceError that names the fix", async () => {
  const dir = await app("esbuild-iife-default", { script: "./dist/main.js", module: false });
  await esbuild(dir);
  const r = await serveAndRun(dir);
  assert.equal(r.error?.name, "FluenceError", JSON.stringify(r));
  assert.equal(r.error.code, "LOAD");
  assert.match(r.error.message, /no usable import\.meta\.url/);
  assert.match(r.error.message, /fluence-client\/inline/);
});

async function rollupBuild(dir) {
  const { rollup } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  const bundle = await rollup({ input: join(dir, "main.js"), plugins: [nodeResolve({ browser: true })], logLevel: "silent" });
  await bundle.write({ dir: join(dir, "dist"), format: "es" });
  await bundle.close();
}

test("Rollup with node-resolve and fluence-client/inline", async () => {
  const dir = await app("rollup", { specifier: "fluence-client/inline", script: "./dist/main.js" });
  await rollupBuild(dir);
  assertWorks(await serveAndRun(dir), "Rollup");
});

test("Rollup with the default entry (the .wasm not copied): a LOAD FluenceError naming the URL and the fix", async () => {
  const dir = await app("rollup-default", { script: "./dist/main.js" });
  await rollupBuild(dir);
  const r = await serveAndRun(dir);
  assert.equal(r.error?.code, "LOAD", JSON.stringify(r));
  assert.match(r.error.message, /\/dist\/fluence_client_bg\.wasm: HTTP 404/);
  assert.match(r.error.message, /fluence-client\/inline/);
  assert.doesNotMatch(r.error.message, /magic word/);
});

async function freePort() {
  const s = netServer().listen(0, "127.0.0.1");
  await new Promise((r) => s.once("listening", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Runs a command; resolves with its output, rejects with it on a non-zero exit. */
function sh(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")}: exit ${code}\n${out}`))));
  });
}

const nextEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
for (const [label, flags] of [["Turbopack", []], ["webpack", ["--webpack"]]]) {
  test(`Next.js 16 (${label}): next build, next start`, async () => {
    const dir = await freshApp(join("bundlers", `next-${label.toLowerCase()}`), join(here, "next"));
    await cp(join(here, "run.js"), join(dir, "app", "run.js"));
    await installPackage(dir);
    await sh(bin("next"), ["build", ...flags], { cwd: dir, env: nextEnv });
    const port = await freePort();
    const server = spawn(bin("next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: dir, env: nextEnv, stdio: "ignore" });
    cleanup.push(async () => server.kill());
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
      if (ok) break;
      assert.ok(Date.now() < deadline, "next start did not answer in 30 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    assertWorks(await runAt(`http://127.0.0.1:${port}/`), `Next.js ${label}`);
    assertWorks(await runAt(`http://127.0.0.1:${port}/`, true), `Next.js ${label}, connectInWorker`);
    server.kill();
  });
}

test("tsc --strict (lib es2022 + dom, no skipLibCheck) on every entry of the package", async () => {
  const dir = await freshApp(join("bundlers", "tsc"));
  await cp(join(here, "types.ts"), join(dir, "types.ts"));
  await cp(join(here, "tsconfig.json"), join(dir, "tsconfig.json"));
  await installPackage(dir);
  await sh(bin("tsc"), ["-p", join(dir, "tsconfig.json")]);
});

test("publint and @arethetypeswrong/cli report nothing", async () => {
  const out = await sh(bin("publint"), ["--strict", join(root, "pkg")]);
  console.log(out.trim());
  // An ES-module-only package: attw's esm-only profile leaves out CommonJS `require`.
  const attw = await sh(bin("attw"), ["--profile", "esm-only", "--no-color", "--format", "table-flipped", await packPackage()]);
  console.log(attw.trim());
});
