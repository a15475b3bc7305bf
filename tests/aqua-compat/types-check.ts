// Type-checked by `tsc -p tests/aqua-compat` (nothing runs): the TypeScript that
// aqua-to-js generates, with "@fluencelabs/js-client" mapped to fluence-client's
// types (tsconfig paths, as the package README documents), describes calls on our
// package; the @ts-expect-error lines fail the check if a type degrades to any.
import { Fluence, createClient, type IFluenceClient, type ParticleContext } from "@fluencelabs/js-client";
import { askPeer, greet, registerGreeter, withCallback } from "../output/aqua-compat/ts/services.js";
import { scalars, structs } from "../output/aqua-compat/ts/values.js";

export async function main(relay: string): Promise<void> {
  await Fluence.connect(relay, { defaultTtlMs: 5000 });
  registerGreeter({
    greet: (name: string, times: number, ctx: ParticleContext) => `${name} ${times} ${ctx.particleId}`,
    badge: (holder: string, level: number | null) => ({ holder, level }),
    record: (_entry: string) => {},
  });
  const [text, badge] = await greet("a");
  const s: string = text;
  const holder: string = badge.holder;
  const level: number | null = badge.level;
  const other: IFluenceClient = await createClient(relay);
  const [a, b, c, flag, str] = await scalars(other, 1, 2, 3.5, true, "s", { ttl: 1000 });
  const sum: number = a + b + c;
  const [p] = await structs({ x: 1, y: 2, label: null, tags: [] }, { name: "n", points: [], center: null });
  const label: string | null = p.label;
  const r: string = await withCallback("x", (y: string, n: number) => `${y}${n}`, (_l: string) => {});
  const [peerText] = await askPeer(other.getPeerId(), "b");
  void [s, holder, level, sum, flag, str, label, r, peerText];
  // @ts-expect-error a string where Aqua wants u8
  await scalars("1", 2, 3, true, "s");
  // @ts-expect-error a service implementation missing `record`
  registerGreeter({ greet: () => "", badge: (h: string) => ({ holder: h, level: null }) });
  await other.disconnect();
  await Fluence.disconnect();
}
