// Types of fluence-client/keypair (js-client's ./keypair subpath).
export { KeyPair, fromBase58Sk, fromBase64Sk, fromOpts } from "./index.js";
