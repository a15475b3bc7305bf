// The package as this app resolves it (`exports`, `node` condition).
export * from "fluence-client";
export { default } from "fluence-client";
