// fluence-client/keypair under Node.js: as keypair.js, through the Node entry (which
// reads the .wasm from the package folder).
export { KeyPair, fromBase58Sk, fromBase64Sk, fromOpts } from "./node.js";
