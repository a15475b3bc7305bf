// Types of the package's other entries (node.js, inline.js): the same API as index.js.
export * from "./index.js";
export { default } from "./index.js";
