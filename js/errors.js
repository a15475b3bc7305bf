// The error class of fluence-client: every rejected promise carries one.
export class FluenceError extends Error {
  constructor(code, message, particleId = null, relay = null) {
    super(message);
    this.name = "FluenceError";
    /** TTL_EXPIRED | INTERPRETER | SERVICE | SEND | CONNECTION | INVALID_ARGUMENT | AQUA | CANCELLED */
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
