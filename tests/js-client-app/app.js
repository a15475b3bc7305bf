// An app written for @fluencelabs/js-client 0.9.0's API (not compiled Aqua): relay
// lists, identities (made, persisted, restored; from the ./keypair subpath too),
// signatures, raw AIR with callAquaFunction, services registered by hand with
// registerService (js-client's `{ args, context }` convention), two clients talking
// through the relay. The same file runs on the official js-client in Node and on
// fluence-client in Chromium (an import map aliases both specifiers); app.test.mjs
// compares the results. Nothing here knows which client it runs on.
import {
  ClientPeer,
  Fluence,
  KeyPair,
  callAquaFunction,
  createClient,
  fromBase58Sk,
  fromBase64Sk,
  fromOpts,
  kras,
  randomKras,
  randomStage,
  randomTestNet,
  registerService,
  stage,
  testNet,
} from "@fluencelabs/js-client";
import * as subpath from "@fluencelabs/js-client/keypair";

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (s) => Uint8Array.from(s.match(/../g), (h) => parseInt(h, 16));
const base64 = (bytes) => btoa(String.fromCharCode(...bytes));
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58(bytes) {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let s = "";
  while (n > 0n) {
    s = B58[Number(n % 58n)] + s;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    s = "1" + s;
  }
  return s;
}

const settle = (p) =>
  p.then(
    (value) => ({ value }),
    // js-client rejects with AquaVM's error object, fluence-client with a FluenceError
    // carrying the same message.
    (e) => ({ rejected: true, message: typeof e === "string" ? e : e?.message }),
  );

async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// `target`'s `serviceId.fnName(...args)` through the relay; the result comes back, or
// the error, caught on the target and sent back through the relay too.
const callThroughRelay = (serviceId, fnName, argNames) => `
(seq
 (seq
  (call %init_peer_id% ("getDataSrv" "-relay-") [] relay)
  (seq
   (call %init_peer_id% ("getDataSrv" "target") [] target)
   ${argNames.reduceRight(
     (rest, a) => `(seq (call %init_peer_id% ("getDataSrv" "${a}") [] ${a}) ${rest})`,
     "(null)",
   )}))
 (seq
  (call relay ("op" "noop") [])
  (xor
   (seq
    (call target ("${serviceId}" "${fnName}") [${argNames.join(" ")}] result)
    (seq
     (call relay ("op" "noop") [])
     (call %init_peer_id% ("callbackSrv" "response") [result])))
   (seq
    (call relay ("op" "noop") [])
    (call %init_peer_id% ("errorHandlingSrv" "error") [%last_error% 0])))))`;

// `target`'s `serviceId.fnName(...args)` through the relay, nothing returned.
const notifyThroughRelay = (serviceId, fnName) => `
(seq
 (seq
  (call %init_peer_id% ("getDataSrv" "-relay-") [] relay)
  (seq
   (call %init_peer_id% ("getDataSrv" "target") [] target)
   (call %init_peer_id% ("getDataSrv" "entry") [] entry)))
 (seq
  (call relay ("op" "noop") [])
  (call target ("${serviceId}" "${fnName}") [entry])))`;

class Greeter {
  constructor(name) {
    this.name = name;
  }

  greet({ args: [who], context }) {
    return `${this.name} greets ${who} (from ${context.initPeerId.slice(0, 8)})`;
  }
}

/**
 * Runs the app against `relay` (a multiaddr). `foreign`: a signature made elsewhere
 * (`{ publicKey, message, signature }`, hex) for the app to verify. Resolves with the
 * results: plain JSON.
 */
export async function runApp(relay, foreign) {
  const out = {};

  // The relay lists.
  out.relayLists = {
    kras: kras.length,
    stage: stage.length,
    testNet: testNet.length,
    first: kras[0],
    random: [randomKras(), randomStage(), randomTestNet()].map(
      (r, i) => [kras, stage, testNet][i].some((x) => x.multiaddr === r.multiaddr && x.peerId === r.peerId),
    ),
  };

  // A fixed identity: same key, same PeerId, same public key, same (deterministic)
  // Ed25519 signature on both clients.
  const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
  const fixed = await KeyPair.fromEd25519SK(seed);
  const message = new TextEncoder().encode("signed by an app written for js-client");
  const signature = await fixed.signBytes(message);
  out.fixed = {
    peerId: fixed.getPeerId(),
    publicKey: hex(fixed.getPublicKey()),
    seedBack: hex(fixed.toEd25519PrivateKey()) === hex(seed),
    signature: hex(signature),
    verifies: await fixed.verify(message, signature),
    tamperedVerifies: await fixed.verify(new TextEncoder().encode("something else"), signature),
    byPublicKey: await KeyPair.verifyWithPublicKey(fixed.getPublicKey(), message, signature),
    fromBase58: (await fromBase58Sk(base58(seed))).getPeerId() === fixed.getPeerId(),
  };
  out.foreignVerifies = await KeyPair.verifyWithPublicKey(
    fromHex(foreign.publicKey),
    fromHex(foreign.message),
    fromHex(foreign.signature),
  );

  // A new identity, persisted as base64 and restored (by the main entry, by fromOpts and
  // by the ./keypair subpath): the same PeerId each time.
  const identity = await KeyPair.randomEd25519();
  const stored = base64(identity.toEd25519PrivateKey());
  out.identity = {
    peerIdShape: /^12D3KooW/.test(identity.getPeerId()),
    restored: (await fromBase64Sk(stored)).getPeerId() === identity.getPeerId(),
    fromOpts:
      (await fromOpts({ type: "Ed25519", source: identity.toEd25519PrivateKey() })).getPeerId() ===
      identity.getPeerId(),
    randomFromOpts: /^12D3KooW/.test((await fromOpts({ type: "Ed25519", source: "random" })).getPeerId()),
    subpath: (await subpath.fromBase64Sk(stored)).getPeerId() === identity.getPeerId(),
    subpathClass: subpath.KeyPair === KeyPair,
  };

  // Two clients: A with the restored identity and js-client's config fields, B default.
  const a = await createClient(relay, {
    keyPair: { type: "Ed25519", source: identity.toEd25519PrivateKey() },
    defaultTtlMs: 7000,
    connectionOptions: { dialTimeoutMs: 5000, maxInboundStreams: 64, maxOutboundStreams: 64, skipCheckConnection: false },
    debug: { printParticleId: false },
  });
  await Fluence.connect({ peerId: relay.split("/p2p/")[1], multiaddr: relay });
  const b = Fluence.getClient();
  out.clients = {
    restoredIdentity: a.getPeerId() === identity.getPeerId(),
    relayPeerId: a.getRelayPeerId() === relay.split("/p2p/")[1],
    instanceOfClientPeer: a instanceof ClientPeer && b instanceof ClientPeer,
  };

  // A service registered by hand on B (a plain object), called from A through the relay.
  const contexts = [];
  registerService({
    peer: b,
    serviceId: "greeter",
    service: {
      greet: ({ args: [who], context }) => {
        contexts.push({
          fields: Object.keys(context).sort(),
          initPeerId: context.initPeerId === a.getPeerId(),
          types: [typeof context.particleId, typeof context.timestamp, typeof context.ttl],
          signature: context.signature instanceof Uint8Array && context.signature.length === 64,
          tetraplet: context.tetraplets[0][0].function_name,
        });
        return `B greets ${who}`;
      },
    },
  });
  out.aCallsB = await callAquaFunction({
    script: callThroughRelay("greeter", "greet", ["who"]),
    config: { ttl: 7000 },
    peer: a,
    args: { target: b.getPeerId(), who: "ann" },
    fireAndForget: false,
  });
  out.contexts = contexts;
  // And the other way: a class instance on A, called from B.
  registerService({ peer: a, serviceId: "greeter", service: new Greeter("A") });
  out.bCallsA = await callAquaFunction({
    script: callThroughRelay("greeter", "greet", ["who"]),
    peer: b,
    args: { target: a.getPeerId(), who: "bob" },
    fireAndForget: false,
  });

  // An async service with several arguments; an argument that is a function (a callback
  // gets `{ args, context }` too).
  registerService({
    peer: b,
    serviceId: "math2",
    service: { add: async ({ args: [x, y] }) => x + y },
  });
  out.asyncService = await callAquaFunction({
    script: callThroughRelay("math2", "add", ["x", "y"]),
    peer: a,
    args: { target: b.getPeerId(), x: 40, y: 2 },
    fireAndForget: false,
  });
  out.callback = await callAquaFunction({
    script: `
(seq
 (call %init_peer_id% ("callbackSrv" "shout") ["hey" 3] loud)
 (call %init_peer_id% ("callbackSrv" "response") [loud]))`,
    peer: a,
    args: { shout: ({ args: [s, n], context }) => `${s.toUpperCase().repeat(n)}|${context.initPeerId === a.getPeerId()}` },
    fireAndForget: false,
  });

  // Local calls in parallel, then the stream canonicalized: js-client feeds AquaVM one
  // call result per run, so the canon runs after the first result only.
  out.parallelThenCanon = await callAquaFunction({
    script: `
(seq
 (seq
  (call %init_peer_id% ("getDataSrv" "xs") [] xs)
  (fold xs x
   (par
    (call %init_peer_id% ("op" "identity") [x] $results)
    (next x))))
 (seq
  (canon %init_peer_id% $results #results)
  (call %init_peer_id% ("callbackSrv" "response") [#results])))`,
    peer: a,
    args: { xs: ["a", "b", "c", "d"] },
    fireAndForget: false,
  });

  // A service that throws: the caller gets an error; the clients keep working.
  registerService({
    peer: b,
    serviceId: "broken",
    service: {
      explode: ({ args: [x] }) => {
        throw new Error(`boom ${x}`);
      },
    },
  });
  out.serviceThrows = await settle(
    callAquaFunction({
      script: callThroughRelay("broken", "explode", ["x"]),
      peer: a,
      args: { target: b.getPeerId(), x: "e1" },
      fireAndForget: false,
    }),
  );

  // fireAndForget: resolves with null; the effect follows.
  const log = [];
  registerService({ peer: b, serviceId: "log", service: { add: ({ args: [entry] }) => void log.push(entry) } });
  out.fireAndForget = await callAquaFunction({
    script: notifyThroughRelay("log", "add"),
    peer: a,
    args: { target: b.getPeerId(), entry: "entry-1" },
    fireAndForget: true,
  });
  await until(() => log.includes("entry-1"), "log.add on B");
  out.log = log;

  // Builtins js-client registers on every peer: sig (its default guard refuses data that
  // is not from trust-graph/registry), tracingSrv.
  out.builtins = await callAquaFunction({
    script: `
(seq
 (seq
  (call %init_peer_id% ("getDataSrv" "data") [] data)
  (call %init_peer_id% ("sig" "get_peer_id") [] own))
 (seq
  (seq
   (call %init_peer_id% ("sig" "sign") [data] signed)
   (call %init_peer_id% ("tracingSrv" "tracingEvent") ["app" "traced"]))
  (call %init_peer_id% ("callbackSrv" "response") [own signed])))`,
    peer: a,
    args: { data: [1, 2, 3] },
    fireAndForget: false,
  });
  out.builtins[0] = out.builtins[0] === a.getPeerId();

  await a.disconnect();
  await Fluence.disconnect();
  out.disconnected = Fluence.defaultClient === undefined;
  return out;
}
