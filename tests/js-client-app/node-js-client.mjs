// Runs the app on the official @fluencelabs/js-client 0.9.0 in Node and prints its
// results as JSON (one line): `node node-js-client.mjs <relay> <foreign signature JSON>`.
import { runApp } from "./app.js";

const [relay, foreign] = process.argv.slice(2);
const out = await runApp(relay, JSON.parse(foreign));
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(0);
