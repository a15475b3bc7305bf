// fluence-client and the official @fluencelabs/js-client 0.9.0 side by side in one run:
//   bash scripts/bench.sh [--loads N] [--smoke] [--particles N] [--clients ours|js]
// Each cold load is a fresh headless Chromium (new profile, no HTTP or code cache) started with
// no DevTools connection (CDP instrumentation costs ~1.5 ms per call), opening the same page
// (tests/bench/page.html) for either client against the same local relay; loads alternate
// js, ours, js, ours, … The page reports to this server at each phase mark; CPU comes from /proc
// (the whole Chromium process tree, its renderers, the relay), bytes from what this server
// served before the page was connected, memory from the renderer's PSS. Prints one table
// (median, min, max of the loads, the ratio, the target) and writes BENCHMARKS.md and
// benchmarks.svg (--smoke: one load each, short phases, written under tests/output/bench/).
// Nothing is asserted on time; a figure worse than the committed BENCHMARKS.md (relative to
// js-client's in the same run) by more than the noise between loads is printed as a warning.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants as zc } from "node:zlib";
import { startRelay } from "../../scripts/relay-process.mjs";
import { serveDir } from "../../scripts/serve.mjs";
import { root } from "../browser/harness.mjs";
import { cpuSample, rendererPssMB } from "./procfs.mjs";
import { startChromium } from "./chromium.mjs";
import { profileOurs } from "./profile.mjs";
import { wasmCrateTable } from "./wasm-crates.mjs";
import { figures, summarize, compare, markdown, table, svg, parseCommitted, rows } from "./report.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const smoke = process.argv.includes("--smoke");
// --clients ours (or js): one client only, for quick experiments; nothing is written then.
const clients = arg("--clients", "js,ours").split(",");
const loads = Number(arg("--loads", smoke ? 1 : 3));
const params = smoke
  ? { seq: 40, inflight: 100, conc: 50, ab: 10, limit: 0 }
  : { seq: 400, inflight: 800, conc: 50, ab: 150, limit: 3000 }; // js-client fails from its 1,000th call on one connection
// --particles N: the memory phase (N more calls; the renderer's PSS before, after, after TTL).
params.particles = Number(arg("--particles", 0));
const outDir = smoke ? join(root, "tests", "output", "bench") : root;
const chromiumBin = process.env.CHROMIUM ?? "/usr/bin/chromium";

// The load being run: its requests (path → bytes) and the marks the page has reported.
let current = null;

// The repository, with /cdn/<package>@<version>/<path> served from tests/node_modules (what
// js-client fetches from unpkg by default), and POST /bench/mark.
const server = await serveDir(root, {
  cacheControl: "no-store",
  handle: async (req, res) => {
    if (req.method !== "POST" || new URL(req.url, "http://x").pathname !== "/bench/mark") return false;
    let body = "";
    for await (const chunk of req) body += chunk;
    try {
      const { load, phase, data } = JSON.parse(body);
      if (!current || current.id !== load) throw new Error(`mark for an unknown load ${load}`);
      onMark(current, phase, data);
      res.writeHead(204).end();
    } catch (e) {
      res.writeHead(400).end(String(e));
    }
    return true;
  },
  fileOf: (path) => {
    const cdn = /^\/cdn\/(@fluencelabs\/[a-z-]+)@[0-9.]+\/(.*)$/.exec(path);
    return cdn ? join(root, "tests", "node_modules", cdn[1], cdn[2]) : join(root, path);
  },
  // The page's own files (the bench page, the AIR it runs) are the same for both clients.
  onFile: (path, body) => {
    if (current && !/^\/(tests\/bench|tests\/aqua)\//.test(path) && path !== "/favicon.ico") {
      current.requests.set(path, body);
    }
  },
});
const origin = server.url;

function onMark(load, phase, data) {
  const m = { data };
  if (phase === "connected") {
    const bodies = [...load.requests.values()];
    m.bytes = {
      files: [...load.requests.keys()],
      raw: bodies.reduce((a, b) => a + b.length, 0),
      gzip: bodies.reduce((a, b) => a + gzipSync(b, { level: 9 }).length, 0),
      brotli: bodies.reduce(
        (a, b) => a + brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: b.length } }).length,
        0,
      ),
    };
    m.pss = rendererPssMB(load.pid);
  }
  if (/-(start|end)$/.test(phase)) m.cpu = cpuSample(load.pid, relay.pid);
  if (phase === "ab-end" || phase.startsWith("mem-")) m.pss = rendererPssMB(load.pid);
  load.marks[phase] = m;
  if (phase === "done" || phase === "error") load.finish();
}

async function coldLoad(client, index) {
  const id = `${client}-${index}`;
  const q = new URLSearchParams({ client, relay: relay.addr, load: id, ...params });
  let finish;
  const finished = new Promise((r) => (finish = r));
  current = { id, client, requests: new Map(), marks: {}, finish };
  const chromium = startChromium(`${origin}/tests/bench/page.html?${q}`);
  current.pid = chromium.pid;
  // The memory phase adds up to 20 ms per particle.
  const timeoutMs = 180_000 + params.particles * 20;
  const timer = setTimeout(() => finish(), timeoutMs);
  await finished;
  clearTimeout(timer);
  const load = current;
  current = null;
  await chromium.close();
  if (load.marks.error) throw new Error(`${id}: the page failed: ${load.marks.error.data.message}`);
  if (!load.marks.done) {
    const got = Object.keys(load.marks).join(", ") || "none";
    throw new Error(`${id}: no result in ${timeoutMs / 1000} s (marks: ${got}); Chromium said: ${chromium.stderr().slice(-1000)}`);
  }
  return figures(load);
}

const relay = await startRelay({ logLevel: "warn" });
const results = { js: [], ours: [] };
let failed = false;
try {
  for (let i = 0; i < loads; i++) {
    for (const client of ["js", "ours"].filter((c) => clients.includes(c))) {
      const f = await coldLoad(client, i);
      results[client].push(f);
      console.log(
        `bench: load ${i + 1}/${loads} ${client === "js" ? "js-client" : "fluence-client"}: connected in ${f.navToConnected.toFixed(0)} ms, ` +
          `${f.seqRate.toFixed(0)} sequential calls/s (p50 ${f.seqP50.toFixed(1)} ms), CPU per call ${f.rendererCpuPerCall.toFixed(2)} ms renderer / ` +
          `${f.allCpuPerCall.toFixed(2)} ms all Chromium / ${f.relayCpuPerCall.toFixed(2)} ms relay, ${f.inflightRate.toFixed(0)} calls/s with ${params.conc} in flight` +
          (params.particles > 0
            ? `; memory phase of ${f.memParticles} calls: renderer PSS ${f.pssMemStart.toFixed(1)} → ${f.pssMemEnd.toFixed(1)} MB, ${f.pssMemAfterTtl.toFixed(1)} MB after their TTL`
            : ""),
      );
    }
  }
} catch (e) {
  console.error(`bench: ${e.message}`);
  failed = true;
}
await relay.stop();
await server.close();
if (failed) process.exit(1);
if (clients.length < 2) process.exit(0);

// A diagnostic run apart from the figures: the CPU profile of fluence-client's sequential phase
// (CDP, so it is not used for the table), and the per-crate size of the wasm.
const profile = await profileOurs({ calls: smoke ? 50 : 1000 });
const crates = wasmCrateTable();

const summary = summarize(results);
// Every figure of both clients must have been measured (in a smoke run too), so that the
// instrument cannot rot unseen: a renderer not found, a phase that reported nothing.
const missing = rows
  .filter((r) => !(smoke && r.key === "callsBeforeFailure") && !(r.optional && !params.particles))
  .flatMap((r) => ["js", "ours"].filter((c) => summary[r.key][c] === null).map((c) => `${r.label} (${c})`));
if (profile.top.length === 0) missing.push("the CPU profile (no samples)");
if (missing.length) {
  console.error(`bench: not measured: ${missing.join("; ")}`);
  process.exit(1);
}
const md = join(root, "BENCHMARKS.md");
const committed = existsSync(md) ? parseCommitted(readFileSync(md, "utf8")) : null;
// A smoke run's short phases are not comparable with a full run's figures.
const warnings = committed && !smoke ? compare(committed, summary) : [];
const machine = {
  cpu: `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  chromium: execFileSync(chromiumBin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
  node: process.version,
  commit: (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })(),
  date: new Date().toISOString().slice(0, 10),
  loads,
  params,
  smoke,
};
console.log("");
console.log(table(summary));
for (const w of warnings) console.log(`bench: warning: ${w}`);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "BENCHMARKS.md"), markdown({ summary, machine, profile, crates, warnings }));
writeFileSync(join(outDir, "benchmarks.svg"), svg(results));
console.log(`bench: wrote ${join(outDir, "BENCHMARKS.md")} and ${join(outDir, "benchmarks.svg")}`);
