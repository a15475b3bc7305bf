// What every bundler fixture's page does (copied into each app): `window.run(relay,
// script, inWorker)` makes one client (in the page, or in the package's worker through
// connectInWorker), one call through the relay, and returns the value or the error it
// got; `window.ready` says the bundle loaded.
export function installRun(FluenceClient, connectInWorker) {
  window.run = async (relay, script, inWorker) => {
    let client;
    try {
      client = inWorker ? await connectInWorker(relay) : await FluenceClient.connect(relay);
      return { value: await client.callAir(script, { msg: "bundled" }) };
    } catch (e) {
      return { error: { name: e?.name, code: e?.code, message: e?.message } };
    } finally {
      await client?.disconnect();
    }
  };
  window.ready = true;
}
