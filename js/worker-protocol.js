// What the page-side proxy (worker-client.js) and the worker script (worker.js) share:
// how callbacks and errors cross postMessage.
import { FluenceError } from "./fluence_client.js";

/** The property that marks a WorkerClient (core.js tells clients apart by it). */
export const IS_WORKER_CLIENT = Symbol.for("fluence-client.WorkerClient");

/** The key of the marker that stands for a callback argument. */
export const CALLBACK = "__fluenceWorkerCallback";

/** An error as a cloneable object: FluenceErrors keep their code and every field. */
export function encodeError(e) {
  if (e instanceof FluenceError || e?.name === "FluenceError") {
    return { fluence: true, ...e, name: "FluenceError", message: e.message };
  }
  if (e instanceof Error) return { error: true, name: e.name, message: e.message };
  try {
    return { thrown: structuredClone(e) };
  } catch {
    return { error: true, name: "Error", message: String(e) };
  }
}

/** The error again: a FluenceError with its fields, an Error, or the thrown value. */
export function decodeError(o) {
  if (o?.fluence) {
    const { fluence, name, code, message, particleId, relay, ...fields } = o;
    return Object.assign(new FluenceError(code, message, particleId ?? null, relay ?? null), fields);
  }
  if (o?.error) {
    const e = new Error(o.message);
    e.name = o.name;
    return e;
  }
  return o?.thrown;
}
