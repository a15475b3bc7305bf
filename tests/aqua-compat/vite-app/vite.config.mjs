// The configuration the package README documents: compiled Aqua's
// "@fluencelabs/js-client" import resolves to fluence-client.
import { defineConfig } from "vite";

export default defineConfig({
  resolve: { alias: { "@fluencelabs/js-client": "fluence-client" } },
  build: { target: "es2022" },
  logLevel: "warn",
});
