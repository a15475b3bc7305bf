// fluence-client/keypair: what @fluencelabs/js-client/keypair exports (so that subpath
// maps to this one too). The Node.js condition of `exports` points at keypair-node.js.
export { KeyPair, fromBase58Sk, fromBase64Sk, fromOpts } from "./index.js";
