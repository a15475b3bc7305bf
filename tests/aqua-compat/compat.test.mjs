// Aqua-compiled code runs unchanged on fluence-client. The programs in
// tests/aqua-compat/*.aqua are compiled now (aqua-api + aqua-to-js, as an app's build
// does) and run by scenario.js:
//   1. on the official @fluencelabs/js-client 0.9.0 in Node (the reference),
//   2. on fluence-client in headless Chromium, a plain page with an import map,
//   3. on fluence-client in headless Chromium, an app built by Vite 7 with an alias,
// 2 and 3 also with the client in a Web Worker behind the page-side proxy
// (`Fluence.connect(relay, { worker: true })`), all against the same local relay; each
// must return exactly what 1 returned.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { build, createServer } from "vite";
import { compileAll } from "./compile.mjs";
import { copyAquaScenario, freshApp, installPackage } from "../fixture.mjs";
import { browserEnv, root, serveDir } from "../browser/harness.mjs";

const run = promisify(execFile);
const here = join(root, "tests", "aqua-compat");
let env, relay, server, browser, reference;

before(async () => {
  await compileAll();
  env = await browserEnv();
  ({ relay, server, browser } = env);
});
after(() => env?.close());

async function runInPage(url, fn = "runScenario") {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  // Console errors, except the browser's line for a failed request: those are checked
  // by URL (the favicon's 404 is not a problem).
  page.on("console", (m) => m.type() === "error" && !/^Failed to load resource/.test(m.text()) && problems.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`HTTP ${r.status()} ${r.url()}`));
  await page.goto(url);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 }).catch((e) => {
    throw new Error(`${url} did not load: ${problems.join("\n") || e}`);
  });
  const out = await page.evaluate(({ addr, fn }) => window[fn](addr), { addr: relay.addr, fn });
  assert.deepEqual(problems, [], `${url} ${fn}: errors on the page`);
  await page.close();
  return out;
}

test("reference: the compiled programs on @fluencelabs/js-client 0.9.0 (Node)", async () => {
  const { stdout } = await run("node", [join(here, "node-js-client.mjs"), relay.addr], {
    timeout: 120_000,
  });
  reference = JSON.parse(stdout.trim().split("\n").pop());
  // The reference itself is what the programs mean.
  assert.deepEqual(reference.scalars, [200, -9007199254740991, 1.5, true, "s!"]);
  assert.deepEqual(reference.streams, ["hi ann", "hi bob", "hi cyd"]);
  assert.deepEqual(reference.recursiveStream[2], [0, 100, 1, 2]);
  assert.equal(reference.failing.rejected, true);
  console.log(`js-client results: ${Object.keys(reference).length} entries`);
});

test("fluence-client, plain <script type=module> page with an import map: same results", async () => {
  assert.ok(reference, "the reference run failed");
  const out = await runInPage(`${server.url}/tests/aqua-compat/page.html`);
  assert.deepEqual(out, reference);
});

test("fluence-client in a Web Worker behind the page-side proxy (config.worker), plain page: same results", async () => {
  assert.ok(reference, "the reference run failed");
  const out = await runInPage(`${server.url}/tests/aqua-compat/page.html`, "runScenarioInWorker");
  assert.deepEqual(out, reference);
});

test("fluence-client, Vite 7 app with the @fluencelabs/js-client alias: same results", async () => {
  assert.ok(reference, "the reference run failed");
  // A standalone app: its sources, the compiled Aqua, and the package installed from
  // the tarball `npm pack` makes of pkg/ (so the package's `files` are checked too).
  const app = await freshApp("vite-app", join(here, "vite-app"));
  await copyAquaScenario(join(app, "src"));
  await installPackage(app);
  await build({ root: app, configFile: join(app, "vite.config.mjs"), logLevel: "warn" });
  const dist = join(app, "dist");
  const assets = await readdir(join(dist, "assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `no .wasm emitted: ${assets}`);
  const site = await serveDir(dist);
  try {
    assert.deepEqual(await runInPage(`${site.url}/`), reference);
    // The worker script, bundled by Vite from the package's `new Worker(new URL(…))`.
    assert.deepEqual(await runInPage(`${site.url}/`, "runScenarioInWorker"), reference);
  } finally {
    await site.close();
  }
});

test("fluence-client, the same Vite 7 app on the dev server (the alias recipe, dependencies pre-bundled): same results, in the page and in a worker", async () => {
  assert.ok(reference, "the reference run failed");
  const app = await freshApp("vite-app-dev", join(here, "vite-app"));
  await copyAquaScenario(join(app, "src"));
  await installPackage(app);
  const dev = await createServer({
    root: app,
    configFile: join(app, "vite.config.mjs"),
    logLevel: "warn",
    server: { host: "127.0.0.1", port: 0 },
  });
  await dev.listen();
  try {
    const url = `http://127.0.0.1:${dev.httpServer.address().port}/`;
    assert.deepEqual(await runInPage(url), reference);
    assert.deepEqual(await runInPage(url, "runScenarioInWorker"), reference);
  } finally {
    await dev.close();
  }
});
