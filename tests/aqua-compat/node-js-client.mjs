// Runs the scenario on the official @fluencelabs/js-client 0.9.0 in Node and prints the
// results as JSON (one line). Used by compat.test.mjs: `node node-js-client.mjs <relay>`.
import * as jsClient from "@fluencelabs/js-client";
import { runScenario } from "./scenario.js";

const relay = process.argv[2];
const load = (name) => import(`../output/aqua-compat/${name}.js`);
const programs = { values: await load("values"), services: await load("services"), errors: await load("errors") };
const out = await runScenario(jsClient, programs, relay);
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(0);
