// Type-checked by `tsc -p tests/js-client-app` (nothing runs): code written against
// js-client 0.9.0's types, the way apps use them, with "@fluencelabs/js-client" and its
// "/keypair" subpath mapped to fluence-client's types (tsconfig paths, as the package
// README documents). The @ts-expect-error lines fail the check if a type degrades to any.
import {
  ClientPeer,
  Fluence,
  KeyPair,
  callAquaFunction,
  createClient,
  fromBase64Sk,
  fromOpts,
  kras,
  randomKras,
  registerService,
  type ClientConfig,
  type IFluenceClient,
  type KeyPairOptions,
  type ParticleContext,
  type Relay,
  type RelayOptions,
} from "@fluencelabs/js-client";
import { KeyPair as SubpathKeyPair, fromBase58Sk } from "@fluencelabs/js-client/keypair";

// Every ClientConfig field of js-client 0.9.0.
const keyPairOptions: KeyPairOptions = { type: "Ed25519", source: "random" };
const config: ClientConfig = {
  keyPair: keyPairOptions,
  connectionOptions: {
    skipCheckConnection: false,
    dialTimeoutMs: 5000,
    maxInboundStreams: 1024,
    maxOutboundStreams: 1024,
  },
  defaultTtlMs: 7000,
  CDNUrl: "https://unpkg.com",
  debug: { printParticleId: true },
};

export async function main(): Promise<void> {
  const relay: Relay = kras[0];
  const options: RelayOptions[] = [relay, relay.multiaddr, randomKras()];
  const peerId: string = relay.peerId;
  await Fluence.connect(options[0], config);
  const client: IFluenceClient = Fluence.getClient();
  const other = await createClient(relay.multiaddr, { keyPair: { type: "Ed25519", source: new Uint8Array(32) } });
  const isPeer: boolean = other instanceof ClientPeer;

  // Identities.
  const kp: KeyPair = await KeyPair.randomEd25519();
  const sk: Uint8Array = kp.toEd25519PrivateKey();
  const restored: KeyPair = await fromBase64Sk(btoa(String.fromCharCode(...sk)));
  const fromSubpath: SubpathKeyPair = await fromBase58Sk("3yZe7d");
  const viaOpts: KeyPair = await fromOpts({ type: "Ed25519", source: sk });
  const signature: Uint8Array = await kp.signBytes(new Uint8Array([1]));
  const ok: boolean = await kp.verify(new Uint8Array([1]), signature);
  const byKey: boolean = KeyPair.verifyWithPublicKey(kp.getPublicKey(), new Uint8Array([1]), signature);
  const same: boolean = restored.getPeerId() === kp.getPeerId() && fromSubpath.getPeerId() === viaOpts.getPeerId();

  // Low-level calls, js-client's convention.
  registerService({
    peer: other,
    serviceId: "greeter",
    service: {
      greet: ({ args, context }: { args: unknown[]; context: ParticleContext }) =>
        `hi ${String(args[0])} from ${context.initPeerId}`,
    },
  });
  const result = await callAquaFunction({
    script: "(null)",
    config: { ttl: 1000 },
    peer: client,
    args: { name: "x", cb: ({ args }) => args.length },
    fireAndForget: false,
  });
  const state = Fluence.onConnectionStateChange(() => {});
  void [peerId, isPeer, ok, byKey, same, result, state, client.getRelayPeerId()];

  // @ts-expect-error js-client's key pair type is Ed25519 only
  await fromOpts({ type: "RSA", source: "random" });
  // @ts-expect-error dialTimeoutMs is a number
  await createClient(relay, { connectionOptions: { dialTimeoutMs: "5s" } });
  // @ts-expect-error callAquaFunction needs a script
  await callAquaFunction({ peer: client, args: {} });
  // @ts-expect-error signBytes takes bytes
  await kp.signBytes("text");
}
