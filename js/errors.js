// The error class of fluence-client: every rejected promise carries one.

/** Every `code` a FluenceError may have (the Rust enum `ErrorCode` is the source; a test
 *  checks that this list, the TypeScript union and the README agree with it). */
export const ERROR_CODES = Object.freeze(["TTL_EXPIRED", "INTERPRETER", "SEND", "CONNECTION", "INVALID_ARGUMENT", "AQUA", "CANCELLED", "TYPE_MISMATCH", "LOAD", "CLOCK_SKEW"]);

export class FluenceError extends Error {
  constructor(code, message, particleId = null, relay = null) {
    super(message);
    this.name = "FluenceError";
    /** One of ERROR_CODES. */
    this.code = code;
    /** The particle the error concerns, or null. */
    this.particleId = particleId;
    /** The relay's multiaddr for connection errors, or null. */
    this.relay = relay;
  }
}

export function makeFluenceError(code, message, particleId, relay) {
  return new FluenceError(code, message, particleId ?? null, relay ?? null);
}
