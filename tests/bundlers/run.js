// What every bundler fixture's page does (copied into each app): `window.run(relay,
// script)` makes one client, one call through the relay, and returns the value or the
// error it got; `window.ready` says the bundle loaded.
export function installRun(FluenceClient) {
  window.run = async (relay, script) => {
    let client;
    try {
      client = await FluenceClient.connect(relay);
      return { value: await client.callAir(script, { msg: "bundled" }) };
    } catch (e) {
      return { error: { name: e?.name, code: e?.code, message: e?.message } };
    } finally {
      await client?.disconnect();
    }
  };
  window.ready = true;
}
