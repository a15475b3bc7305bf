// One run of the Aqua-compiled programs (tests/aqua-compat/*.aqua, compiled by
// compile.mjs), written against js-client's API only. The same file runs on the
// official @fluencelabs/js-client 0.9.0 in Node and on fluence-client in Chromium (a
// plain page with an import map, and a Vite app with an alias); the test compares the
// results. `api`: { Fluence, createClient }; `programs`: { values, services, errors }.

const settle = (p) =>
  p.then(
    (value) => ({ value }),
    (e) => ({
      rejected: true,
      // js-client rejects with AquaVM's error object, fluence-client with a FluenceError
      // carrying the same message and fields.
      message: typeof e === "string" ? e : e?.message,
      error_code: e?.error_code ?? null,
    }),
  );

async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * fluence-client's API with every client in a Web Worker (its `worker` config option):
 * the scenario unchanged, the network and AquaVM off the page's thread.
 */
export function inWorker({ Fluence, createClient }) {
  return {
    Fluence: {
      connect: (relay, config) => Fluence.connect(relay, { ...config, worker: true }),
      getClient: () => Fluence.getClient(),
      disconnect: () => Fluence.disconnect(),
    },
    createClient: (relay, config) => createClient(relay, { ...config, worker: true }),
  };
}

export async function runScenario({ Fluence, createClient }, { values, services, errors }, relay) {
  const out = {};
  await Fluence.connect(relay);
  const client = Fluence.getClient();
  out.peerIdShape = /^12D3KooW/.test(client.getPeerId());
  out.relayPeerId = client.getRelayPeerId() === relay.split("/p2p/")[1];

  // Values, with the default client.
  out.scalars = await values.scalars(200, -9007199254740991, 1.5, true, "s");
  out.optionsNone = await values.options(null, null);
  out.optionsSome = await values.options("x", 3);
  const p = { x: 1, y: -2, label: null, tags: ["a", "b"] };
  out.structs = await values.structs(p, {
    name: "tri",
    points: [p, { x: 3, y: 4, label: "far", tags: [], ignored: "extra field" }],
    center: { x: 0, y: 0, label: "c", tags: ["mid"] },
  });
  out.arrays = await values.arrays([1, 2, 3], ["first", "second"]);
  out.streams = await values.streams(["ann", "bob", "cyd"]);
  out.streamsEmpty = await values.streams([]);
  // A recursive stream fed by local builtins, joined at a fixed index (spec: the result
  // depends on how call results are fed to AquaVM; js-client's order is the contract).
  out.recursiveStream = [];
  for (const [n, limit] of [[1, 3], [2, 3], [3, 3], [2, 104], [4, 104], [5, 104]]) {
    out.recursiveStream.push(await values.recursiveStream(n, limit));
  }

  // Services registered from Aqua definitions, on the default client.
  const records = [];
  const contexts = [];
  services.registerGreeter({
    greet: (name, times, ctx) => {
      contexts.push(typeof ctx.particleId === "string" && ctx.initPeerId === client.getPeerId());
      return `hello ${name} x${times}`;
    },
    badge: async (name, level) => ({ holder: name, level }),
    record: (entry) => {
      records.push(entry);
    },
  });
  out.greet = await services.greet("alice");
  out.greetContexts = contexts;
  class Polite {
    greet(name, times) {
      return `good day, ${name} (${times})`;
    }
    badge(name) {
      return { holder: name, level: 1 };
    }
    record() {}
  }
  services.registerGreeter("polite", new Polite());
  out.greetWithId = await services.greetWithId("polite", "bob");

  // Callbacks (arrow arguments).
  const log = [];
  out.withCallback = await services.withCallback(
    "q",
    (s, n, ctx) => `${s}|${n}|${typeof ctx.particleId}`,
    (line) => {
      log.push(line);
    },
  );
  out.callbackLog = log;

  // A function without results resolves with null; its effect follows.
  out.voidCall = await services.voidCall("entry-1");
  await until(() => records.includes("entry-1"), "Greeter.record");
  out.records = records;

  // A second client: an explicit client argument, a ttl config, and a hop from the
  // default client through the relay to it.
  const other = await createClient(relay);
  services.registerGreeter(other, {
    greet: (name, times) => `other greets ${name} x${times}`,
    badge: (name, level) => ({ holder: `${name}@other`, level }),
    record() {},
  });
  out.askPeer = await services.askPeer(other.getPeerId(), "carol");
  out.explicitClient = await values.scalars(other, 1, 2, 3.25, false, "x", { ttl: 5000 });

  // Errors.
  out.caught = await errors.caught("e1");
  out.failing = await settle(errors.failing("e2"));
  errors.registerBroken({
    explode: (x) => {
      throw new Error(`boom ${x}`);
    },
  });
  out.caughtLocal = await errors.caughtLocal("e3");
  const mismatch = await settle(values.scalars("not a number", 1, 1, true, "s"));
  out.mismatch = {
    rejected: mismatch.rejected === true,
    // js-client appends its schema to the message; the first three parts are the contract.
    message: mismatch.message?.split(";").slice(0, 3).join(";"),
  };

  await other.disconnect();
  await Fluence.disconnect();
  return out;
}
