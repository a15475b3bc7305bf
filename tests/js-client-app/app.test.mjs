// An app written for js-client's API (tests/js-client-app/app.js: relay lists, KeyPair
// and the ./keypair subpath, callAquaFunction, registerService, createClient, Fluence),
// not compiled Aqua, runs unchanged on fluence-client:
//   1. on the official @fluencelabs/js-client 0.9.0 in Node (the reference),
//   2. on fluence-client in headless Chromium (an import map aliases both of
//      js-client's specifiers to the package),
// against the same local relay, 2 also with every client in a Web Worker (behind the
// page-side proxy); 2 must return exactly what 1 returned. Signatures
// cross: each run verifies one made by the other client, and js-client here verifies
// the one fluence-client made.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { KeyPair as JsKeyPair } from "@fluencelabs/js-client";
import { browserEnv, root } from "../browser/harness.mjs";

const run = promisify(execFile);
const here = join(root, "tests", "js-client-app");
const hex = (bytes) => Buffer.from(bytes).toString("hex");
let env, relay, server, browser, page, problems, reference;

// Opens the app's page (`query`: "?worker" puts every client in a Web Worker); `problems`
// collects page errors, console errors (the browser's line for a failed request is checked
// by URL instead) and failed requests.
async function openApp(query = "") {
  const opened = await browser.newPage();
  const seen = [];
  opened.on("pageerror", (e) => seen.push(String(e)));
  opened.on("console", (m) => m.type() === "error" && !/^Failed to load resource/.test(m.text()) && seen.push(m.text()));
  opened.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && seen.push(`HTTP ${r.status()} ${r.url()}`));
  await opened.goto(`${server.url}/tests/js-client-app/page.html${query}`);
  await opened.waitForFunction(() => window.ready === true, null, { timeout: 30_000 }).catch((e) => {
    throw new Error(`the page did not load: ${seen.join("\n") || e}`);
  });
  return { page: opened, problems: seen };
}

before(async () => {
  env = await browserEnv();
  ({ relay, server, browser } = env);
  ({ page, problems } = await openApp());
});
after(() => env?.close());

// A signature made by the page's fluence-client, for js-client to verify.
async function oursSigns() {
  return page.evaluate(async () => {
    const { KeyPair } = window.fluence;
    const kp = await KeyPair.randomEd25519();
    const message = new TextEncoder().encode("made by fluence-client");
    const signature = await kp.signBytes(message);
    const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return { publicKey: hex(kp.getPublicKey()), message: hex(message), signature: hex(signature) };
  });
}

// A signature made by js-client here, for the page's fluence-client to verify.
async function jsClientSignature() {
  const kp = await JsKeyPair.randomEd25519();
  const message = new TextEncoder().encode("made by js-client");
  return { publicKey: hex(kp.getPublicKey()), message: hex(message), signature: hex(await kp.signBytes(message)) };
}

test("reference: the app on @fluencelabs/js-client 0.9.0 (Node), verifying a signature fluence-client made", async () => {
  const foreign = await oursSigns();
  const { stdout } = await run("node", [join(here, "node-js-client.mjs"), relay.addr, JSON.stringify(foreign)], {
    timeout: 120_000,
  });
  reference = JSON.parse(stdout.trim().split("\n").pop());
  // What the app means, on js-client itself.
  assert.equal(reference.foreignVerifies, true, "js-client verifies fluence-client's signature");
  assert.equal(reference.fixed.verifies, true);
  assert.equal(reference.fixed.tamperedVerifies, false);
  assert.equal(reference.aCallsB, "B greets ann");
  assert.equal(reference.serviceThrows.rejected, true);
  assert.match(reference.serviceThrows.message, /boom e1/);
  assert.equal(reference.asyncService, 42);
  assert.equal(reference.fireAndForget, null);
  assert.deepEqual(reference.parallelThenCanon, ["a"]);
  console.log(`js-client results: ${Object.keys(reference).length} entries`);
});

test("fluence-client in Chromium, js-client's specifiers aliased by an import map: same results, and it verifies js-client's signature", async () => {
  assert.ok(reference, "the reference run failed");
  const foreign = await jsClientSignature();
  const out = await page.evaluate(({ addr, foreign }) => window.runApp(addr, foreign), { addr: relay.addr, foreign });
  assert.deepEqual(problems, [], "errors on the page");
  assert.deepEqual(out, reference);
  // js-client checks the signature fluence-client made over the app's message.
  const publicKey = Buffer.from(out.fixed.publicKey, "hex");
  const appMessage = new TextEncoder().encode("signed by an app written for js-client");
  assert.equal(await JsKeyPair.verifyWithPublicKey(publicKey, appMessage, Buffer.from(out.fixed.signature, "hex")), true);
});


test("fluence-client with every client in a Web Worker (config.worker, behind the page-side proxy): same results", async () => {
  assert.ok(reference, "the reference run failed");
  const { page: worker, problems: seen } = await openApp("?worker");
  const foreign = await jsClientSignature();
  const out = await worker.evaluate(({ addr, foreign }) => window.runApp(addr, foreign), { addr: relay.addr, foreign });
  assert.deepEqual(seen, [], "errors on the page");
  assert.deepEqual(out, reference);
  const kind = await worker.evaluate(async (addr) => {
    const c = await window.fluence.createClient(addr);
    await c.disconnect();
    return c.constructor.name;
  }, relay.addr);
  assert.equal(kind, "WorkerClient", "the clients of this page run in a worker");
  await worker.close();
});

test("fluence-client: config.sigSecurityGuard decides who may call sig.sign (js-client's guard helpers); a guard that throws refuses", async () => {
  const out = await page.evaluate(async (addr) => {
    const { createClient, and, allowOnlyParticleOriginatedAt, allowServiceFn, defaultSigGuard, KeyPair } = window.fluence;
    const script = `
(seq
 (call %init_peer_id% ("getDataSrv" "data") [] data)
 (seq
  (call %init_peer_id% ("sig" "sign") [data] signed)
  (call %init_peer_id% ("callbackSrv" "response") [signed])))`;
    const sign = async (sigSecurityGuard) => {
      const keyPair = await KeyPair.randomEd25519();
      const c = await createClient(addr, sigSecurityGuard === undefined ? { keyPair } : { keyPair, sigSecurityGuard });
      try {
        const r = await c.callAir(script, { data: [1, 2, 3] });
        if (!r.success) return r.error;
        const valid = await keyPair.verify(Uint8Array.from([1, 2, 3]), Uint8Array.from(r.signature[0]));
        return `signed ${r.signature[0].length} bytes, ${valid ? "valid" : "INVALID"}`;
      } finally {
        await c.disconnect();
      }
    };
    return {
      byDefault: await sign(undefined),
      allowOwn: await sign((params) => allowOnlyParticleOriginatedAt(params.initPeerId)(params)),
      fromData: await sign(and(allowServiceFn("getDataSrv", "data"))),
      jsDefault: await sign((params) => defaultSigGuard(params.initPeerId)(params)),
      throws: await sign(() => {
        throw new Error("guard bug");
      }),
      notAFunction: await createClient(addr, { sigSecurityGuard: "yes" }).then(
        () => "connected",
        (e) => `${e.code}: ${e.message}`,
      ),
    };
  }, relay.addr);
  assert.deepEqual(out.byDefault, ["Security guard validation failed"]);
  assert.equal(out.allowOwn, "signed 64 bytes, valid");
  assert.equal(out.fromData, "signed 64 bytes, valid");
  assert.deepEqual(out.jsDefault, ["Security guard validation failed"]);
  assert.deepEqual(out.throws, ["Security guard validation failed"]);
  assert.match(out.notAFunction, /^INVALID_ARGUMENT: config\.sigSecurityGuard must be a function/);
});

test("fluence-client: js-client's relay lists are valid relays (kras[0] fails to connect here, with a typed CONNECTION error), bad key input is INVALID_ARGUMENT", async () => {
  const out = await page.evaluate(async () => {
    const { createClient, kras, KeyPair, fromOpts, fromBase64Sk, callAquaFunction, registerService, ClientPeer } = window.fluence;
    const code = (p) => p.then(() => "resolved", (e) => `${e.code}: ${e.message}`);
    const sync = (f) => {
      try {
        f();
        return "returned";
      } catch (e) {
        return `${e.code}: ${e.message}`;
      }
    };
    return {
      kras: await code(createClient(kras[0], { connectionOptions: { dialTimeoutMs: 3000 } })),
      seed: await code(KeyPair.fromEd25519SK(new Uint8Array(5))),
      notBytes: await code(KeyPair.fromEd25519SK("seed")),
      opts: await code(fromOpts({ type: "secp256k1", source: "random" })),
      base64: await code(fromBase64Sk("%%%")),
      publicKey: sync(() => KeyPair.verifyWithPublicKey(new Uint8Array(3), new Uint8Array(1), new Uint8Array(64))),
      noPeer: await code(callAquaFunction({ script: "(null)", peer: {}, args: {} })),
      noPeerService: sync(() => registerService({ peer: undefined, serviceId: "s", service: {} })),
      newClientPeer: sync(() => new ClientPeer()),
      badConfig: await code(createClient("/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWANqfCDrV79MZdMnMqTvDdqSAPSxdgFY1L6DCq2DVGB4D", { connectionOptions: { skipCheckConnection: "yes" } })),
      badCdn: await code(createClient("/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWANqfCDrV79MZdMnMqTvDdqSAPSxdgFY1L6DCq2DVGB4D", { CDNUrl: 5 })),
    };
  });
  assert.match(out.kras, /^CONNECTION: /);
  assert.match(out.seed, /^INVALID_ARGUMENT: .*32-byte seed, got 5 bytes/);
  assert.match(out.notBytes, /^INVALID_ARGUMENT: seed must be a Uint8Array/);
  assert.match(out.opts, /^INVALID_ARGUMENT: .*type must be "Ed25519"/);
  assert.match(out.base64, /^INVALID_ARGUMENT: /);
  assert.match(out.publicKey, /^INVALID_ARGUMENT: invalid public key/);
  assert.match(out.noPeer, /^INVALID_ARGUMENT: callAquaFunction: peer must be a connected client/);
  assert.match(out.noPeerService, /^INVALID_ARGUMENT: registerService: peer must be a connected client/);
  assert.match(out.newClientPeer, /^INVALID_ARGUMENT: ClientPeer is not constructed directly/);
  assert.match(out.badConfig, /^INVALID_ARGUMENT: config\.connectionOptions\.skipCheckConnection must be a boolean/);
  assert.match(out.badCdn, /^INVALID_ARGUMENT: config\.CDNUrl must be a string/);
  // The browser's own line for the WebSocket to kras that cannot resolve here.
  const others = problems.filter((p) => !/^WebSocket connection to 'wss:\/\/0-kras\.fluence\.dev:9000\/' failed/.test(p));
  assert.deepEqual(others, [], "errors on the page");
});
