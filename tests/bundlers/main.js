// The app every bundler fixture builds (the test writes it with the import specifier of
// the case): one client, one op.identity through the relay, or the error it got.
import { FluenceClient } from "fluence-client";

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
