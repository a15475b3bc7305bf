// A Vite app as users write it: compiled Aqua (src/*.js, from aqua-to-js) imports
// @fluencelabs/js-client, which vite.config.mjs aliases to the fluence-client package.
import * as fluence from "@fluencelabs/js-client";
// js-client's second entry point: the same alias maps it to fluence-client/keypair.
import { KeyPair as SubpathKeyPair } from "@fluencelabs/js-client/keypair";
import * as values from "./src/values.js";
import * as services from "./src/services.js";
import * as errors from "./src/errors.js";
import { inWorker, runScenario } from "./src/scenario.js";

window.runScenario = (relay) => runScenario(fluence, { values, services, errors }, relay);
// The same with the client in a Web Worker (the package's worker.js, bundled by Vite).
window.runScenarioInWorker = (relay) => runScenario(inWorker(fluence), { values, services, errors }, relay);
if (SubpathKeyPair !== fluence.KeyPair) throw new Error("the ./keypair subpath is another KeyPair");
window.ready = true;
