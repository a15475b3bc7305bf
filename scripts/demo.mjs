// The secret chat demo: starts the local relay and a static server on 127.0.0.1 for
// www/ (and pkg/, the package it loads), prints the URL to open in two tabs, and stops
// both on Ctrl-C. Run through `bash scripts/demo.sh`, which builds everything first.
//   node scripts/demo.mjs [--port 8080] [--ws-port 9990]   (0 = any free port)
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startRelay } from "./relay-process.mjs";
import { serveDir } from "./serve.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0 || v > 65535) {
    console.error(`demo: --${name} takes a port number (0 = any free port)`);
    process.exit(2);
  }
  return v;
}

/** `start(port)`, falling back to any free port when `port` is taken. */
async function onPortOrAny(what, port, start) {
  try {
    return await start(port);
  } catch (e) {
    if (port === 0) throw e;
    console.error(`demo: ${what} port ${port} is taken (${String(e.message).split("\n")[0]}); using a free one`);
    return start(0);
  }
}

// A fresh relay identity each run: nothing of a previous run is kept.
const secretKey = randomBytes(32).toString("base64");
const relay = await onPortOrAny("relay", option("ws-port", 9990), (wsPort) =>
  startRelay({
    wsPort,
    secretKey,
    logLevel: "warn",
    onLog: (line) => console.error(`relay: ${line}`),
  }),
);
let server;
try {
  server = await onPortOrAny("http", option("port", 8080), (port) =>
    serveDir(root, {
      port,
      routes: {
        // The page's default relay (a ?relay=<multiaddr> parameter overrides it).
        "/www/relay.json": { type: "application/json", body: JSON.stringify({ multiaddr: relay.addr }) },
      },
    }),
  );
} catch (e) {
  await relay.stop();
  throw e;
}

console.log(`Secret chat demo
  relay:   ${relay.addr}
  open in two tabs (or two browsers): ${server.url}/www/
  Ctrl-C stops the relay and the server.`);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await server.close();
  await relay.stop();
  console.log("demo: stopped");
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
// On Ctrl-C the terminal signals the relay too; only an exit on its own is an error.
relay.exited.then(({ code, signal }) =>
  setTimeout(() => {
    if (!stopping) {
      console.error(`demo: the relay stopped (${signal ?? `exit ${code}`})`);
      stop(1);
    }
  }, 300),
);
