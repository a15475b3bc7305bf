// fluence-client's side of the Aqua contract where it goes beyond returning js-client's
// values: typed errors for every bad input, the default
// client, js-client's config and relay forms, js2aqua/aqua2js exports. The package as
// users import it (pkg/index.js through an import map), compiled Aqua from compile.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { compileAll } from "./compile.mjs";
import { browserEnv } from "../browser/harness.mjs";

let env, relay, page;

before(async () => {
  await compileAll();
  env = await browserEnv();
  relay = env.relay;
  page = await env.browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(`${env.server.url}/tests/aqua-compat/page.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
});
after(() => env?.close());

// Runs `fn` in the page; a rejection comes back as { code, message, path, expected, given }.
const inPage = (fn, arg) =>
  page.evaluate(
    async ([src, arg]) => {
      const f = new Function(`return (${src})`)();
      try {
        return { value: await f(arg) };
      } catch (e) {
        return {
          error: {
            isFluenceError: e instanceof window.fluence.FluenceError,
            code: e.code,
            message: e.message,
            path: e.path,
            expected: e.expected,
            given: e.given,
          },
        };
      }
    },
    [fn.toString(), arg],
  );

test("before Fluence.connect: getClient, compiled calls and registrations fail with CONNECTION", async () => {
  const r = await inPage(() => window.fluence.Fluence.getClient());
  assert.equal(r.error.code, "CONNECTION");
  assert.ok(r.error.isFluenceError);
  const call = await inPage(() => window.programs.values.streams([]));
  assert.equal(call.error.code, "CONNECTION");
  assert.match(call.error.message, /Fluence\.connect/);
  const reg = await inPage(() => window.programs.services.registerGreeter({}));
  assert.equal(reg.error.code, "CONNECTION");
  const off = await inPage(() => String(window.fluence.Fluence.onConnectionStateChange(() => {})));
  assert.equal(off.value, "disconnected");
});

test("Fluence.connect with js-client's relay object and key pair forms", async () => {
  const r = await inPage(
    async ({ addr, peerId }) => {
      const { Fluence, KeyPair } = window.fluence;
      const seed = new Uint8Array(32).fill(7);
      await Fluence.connect({ peerId, multiaddr: addr }, { keyPair: { type: "Ed25519", source: seed } });
      const c = Fluence.getClient();
      const states = [];
      const off = Fluence.onConnectionStateChange((s) => states.push(s));
      return {
        same: c.getPeerId() === KeyPair.fromSeed(seed).peerId,
        relay: c.getRelayPeerId(),
        offIsFunction: typeof off === "function",
        offAsState: off == "connected",
      };
    },
    { addr: relay.addr, peerId: relay.peerId },
  );
  assert.deepEqual(r.value, { same: true, relay: relay.peerId, offIsFunction: true, offAsState: true });
  // Connecting again replaces the default client and disconnects the previous one.
  const again = await inPage(async (addr) => {
    const { Fluence } = window.fluence;
    const first = Fluence.getClient();
    await Fluence.connect(addr);
    return [first.connectionState, Fluence.getClient() !== first, Fluence.getClient().connectionState];
  }, relay.addr);
  assert.deepEqual(again.value, ["disconnected", true, "connected"]);
  const bad = await inPage(
    (addr) => window.fluence.createClient(addr, { keyPair: { type: "secp256k1", source: "random" } }),
    relay.addr,
  );
  assert.equal(bad.error.code, "INVALID_ARGUMENT");
});

test("wrong argument types reject with TYPE_MISMATCH naming path, expected and given", async () => {
  const cases = [
    // [function, args, path, expected, given]
    ["scalars", [300, 1, 1, true, "s"], ["a"], "u8 (an integer in 0..=255)", "300"],
    ["scalars", [1, 1.5, 1, true, "s"], ["b"], "i64 (an integer in -9223372036854775808..=9223372036854775807)", "1.5"],
    ["scalars", [1, 1, 1, "yes", "s"], ["flag"], "boolean", "string"],
    ["options", [7, null], ["o", "?"], "string", "number"],
    ["structs", [{ x: "1", y: 2, label: null, tags: [] }, { name: "n", points: [], center: null }], ["p", "x"], "number", "string"],
    ["structs", [{ x: 1, y: 2, label: null, tags: [] }, { name: "n", points: [{ x: 1, y: 2, label: 5, tags: [] }], center: null }], ["shape", "points", "[0]", "label", "?"], "string", "number"],
    ["arrays", [[1, -2], ["a"]], ["xs", "[1]"], "u32 (an integer in 0..=4294967295)", "-2"],
    ["arrays", [{}, ["a"]], ["xs"], "array", "object"],
  ];
  for (const [fn, args, path, expected, given] of cases) {
    const r = await inPage(([fn, args]) => window.programs.values[fn](...args), [fn, args]);
    assert.ok(r.error, `${fn}(${JSON.stringify(args)}) resolved: ${JSON.stringify(r.value)}`);
    assert.deepEqual(
      { code: r.error.code, path: r.error.path, expected: r.error.expected, given: r.error.given },
      { code: "TYPE_MISMATCH", path, expected, given },
      `${fn}(${JSON.stringify(args)})`,
    );
    assert.match(r.error.message, /^Aqua type mismatch\. Path: /);
  }
});

test("wrong arity, configs, callbacks and service implementations are refused with INVALID_ARGUMENT", async () => {
  const cases = {
    tooFew: () => window.programs.values.scalars(1, 2),
    tooMany: () => window.programs.values.options(null, null, {}, {}),
    ttlZero: () => window.programs.values.options(null, null, { ttl: 0 }),
    configNotObject: () => window.programs.values.options(null, null, 5),
    missingFunction: () => window.programs.services.registerGreeter({ greet: () => "" }),
    notAFunction: () => window.programs.services.registerGreeter({ greet: 1, badge: () => ({}), record() {} }),
    badServiceId: () => window.programs.services.registerGreeter(5, {}),
  };
  for (const [name, fn] of Object.entries(cases)) {
    const out = await inPage(fn);
    assert.equal(out.error?.code, "INVALID_ARGUMENT", `${name}: ${JSON.stringify(out)}`);
  }
  const tooFew = await inPage(cases.tooFew);
  assert.match(tooFew.error.message, /scalars\(a, b, c, flag, s\) takes 5 argument/);
  const missing = await inPage(cases.missingFunction);
  assert.match(missing.error.message, /Service function badge listed in Aqua schema/);
  // A value where a callback belongs, a function where a value belongs.
  const cb = await inPage(() => window.programs.services.withCallback("x", "not a function", () => {}));
  assert.deepEqual([cb.error.code, cb.error.path, cb.error.expected], ["TYPE_MISMATCH", ["transform"], "function"]);
  const fnValue = await inPage(() => window.programs.values.streams(() => []));
  assert.deepEqual([fnValue.error.code, fnValue.error.path], ["TYPE_MISMATCH", ["names"]]);
});

test("a callback or service returning the wrong type fails the call with the path, not silently", async () => {
  const cb = await inPage(() =>
    window.programs.services.withCallback("x", () => 42, () => {}),
  );
  assert.equal(cb.error.code, "AQUA");
  assert.match(cb.error.message, /Service call failed\. fnName=\\"transform\\" serviceId=\\"callbackSrv\\" error: Aqua type mismatch\. Path: transformReturnValue; Expected: string; Given: number/);
  const svc = await inPage(() => {
    window.programs.services.registerGreeter({ greet: () => "hi", badge: () => ({ holder: 1, level: null }), record() {} });
    return window.programs.services.greet("a");
  });
  assert.equal(svc.error.code, "AQUA");
  assert.match(svc.error.message, /badgeReturnValue\.holder; Expected: string; Given: number/);
});

test("js2aqua and aqua2js are exported and follow the type", async () => {
  const r = await inPage(() => {
    const { js2aqua, aqua2js } = window.fluence;
    const t = { tag: "option", type: { tag: "array", type: { tag: "scalar", name: "u8" } } };
    return [js2aqua(null, t, { path: [] }), js2aqua([1, 2], t, { path: [] }), aqua2js([[3]], t, { path: [] }), aqua2js([], t, { path: [] })];
  });
  assert.deepEqual(r.value, [[], [[1, 2]], [3], null]);
  const bad = await inPage(() => window.fluence.js2aqua(["x"], { tag: "array", type: { tag: "scalar", name: "u8" } }, { path: ["v"] }));
  assert.deepEqual([bad.error.code, bad.error.path], ["TYPE_MISMATCH", ["v", "[0]"]]);
  await inPage(() => window.fluence.Fluence.disconnect());
  const after = await inPage(() => window.fluence.Fluence.defaultClient === undefined);
  assert.equal(after.value, true);
});
