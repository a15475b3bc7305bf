// A client component that imports the package as an app would (a static import).
"use client";
import { useEffect } from "react";
import { FluenceClient } from "fluence-client";

export default function Page() {
  useEffect(() => {
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
  }, []);
  return <p>fluence-client in Next.js</p>;
}
