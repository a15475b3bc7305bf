// The Aqua-compiled programs, which import "@fluencelabs/js-client": in this app that
// name is the package installed under the alias (`npm i @fluencelabs/js-client@npm:fluence-client`).
import * as api from "@fluencelabs/js-client";
import * as values from "./src/values.js";
import * as services from "./src/services.js";
import * as errors from "./src/errors.js";
import { runScenario } from "./src/scenario.js";

export const run = (relay) => runScenario(api, { values, services, errors }, relay);
