// A Vite app as users write it: compiled Aqua (src/*.js, from aqua-to-js) imports
// @fluencelabs/js-client, which vite.config.mjs aliases to the fluence-client package.
import * as fluence from "@fluencelabs/js-client";
import * as values from "./src/values.js";
import * as services from "./src/services.js";
import * as errors from "./src/errors.js";
import { inWorker, runScenario } from "./src/scenario.js";

window.runScenario = (relay) => runScenario(fluence, { values, services, errors }, relay);
// The same with the client in a Web Worker (the package's worker.js, bundled by Vite).
window.runScenarioInWorker = (relay) => runScenario(inWorker(fluence), { values, services, errors }, relay);
window.ready = true;
