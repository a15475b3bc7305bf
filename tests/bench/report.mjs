// The benchmark's figures, table, BENCHMARKS.md and plot (tests/bench/bench.mjs).

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One cold load's figures, from the marks its page reported. */
export function figures(load) {
  const m = load.marks;
  const phase = (name) => {
    const s = m[`${name}-start`];
    const e = m[`${name}-end`];
    const calls = e.data.calls;
    const cpu = (k) => (e.cpu[k] - s.cpu[k]) / calls;
    return { calls, ms: e.data.ms, all: cpu("all"), renderer: cpu("renderer"), relay: cpu("relay"), e };
  };
  const seq = phase("seq");
  const inflight = phase("inflight");
  const ab = phase("ab");
  return {
    client: load.client,
    bytesRaw: m.connected.bytes.raw,
    bytesGzip: m.connected.bytes.gzip,
    bytesBrotli: m.connected.bytes.brotli,
    files: m.connected.bytes.files,
    navToConnected: m.connected.data.navToConnected,
    secondConnect: m.connects.data.secondConnect,
    reconnect: m.connects.data.reconnect,
    seqRate: (seq.calls * 1000) / seq.ms,
    seqP50: median(seq.e.data.latencies),
    seqLatencies: seq.e.data.latencies,
    allCpuPerCall: seq.all,
    rendererCpuPerCall: seq.renderer,
    relayCpuPerCall: seq.relay,
    inflightRate: (inflight.calls * 1000) / inflight.ms,
    inflightLongestTask: inflight.e.data.longestTask,
    abRate: (ab.calls * 1000) / ab.ms,
    abP50: median(ab.e.data.latencies),
    abLatencies: ab.e.data.latencies,
    abRelayCpu: ab.relay,
    pssConnected: m.connected.pss,
    pssEnd: m["ab-end"].pss,
    // Particles the page sent before the second PSS sample (warm-ups included).
    particles: 20 + seq.calls + 1 + inflight.calls + 5 + ab.calls,
    callsBeforeFailure: m.done.data.limit > 0 ? m.done.data.callsBeforeFailure : NaN,
    memParticles: m["mem-end"]?.data.calls ?? 0,
    pssMemStart: m["mem-start"]?.pss ?? NaN,
    pssMemEnd: m["mem-end"]?.pss ?? NaN,
    pssMemAfterTtl: m["mem-after-ttl"]?.pss ?? NaN,
    memGrowth: (m["mem-after-ttl"]?.pss ?? NaN) - (m["mem-start"]?.pss ?? NaN),
    failure: m.done.data.failure,
    limit: m.done.data.limit,
  };
}

const kb = (x) => `${Math.round(x).toLocaleString("en-US")}`;
const ms = (d) => (x) => x.toFixed(d);

/**
 * The table's rows: `better` says which way is better; `target` is fluence-client's (issue
 * "Benchmarks side by side with js-client").
 */
export const rows = [
  { key: "bytesGzip", label: "bytes before connected, gzip -9 (B)", better: "lower", fmt: kb, target: 600_000 },
  { key: "bytesBrotli", label: "bytes before connected, brotli (B)", better: "lower", fmt: kb, target: 450_000 },
  { key: "navToConnected", label: "page navigation → connected (ms)", better: "lower", fmt: ms(0), target: 120 },
  { key: "reconnect", label: "disconnect → connected again (ms)", better: "lower", fmt: ms(0) },
  { key: "secondConnect", label: "second client connect (ms)", better: "lower", fmt: ms(0) },
  { key: "seqRate", label: "sequential hello round trips (/s)", better: "higher", fmt: ms(0), target: 1000 },
  { key: "seqP50", label: "sequential hello round trip p50 (ms)", better: "lower", fmt: ms(2) },
  { key: "inflightRate", label: "50 in flight (calls/s)", better: "higher", fmt: ms(0), target: 2000 },
  { key: "inflightLongestTask", label: "longest main-thread task, 50 in flight (ms; 0 = none ≥ 50)", better: "lower", fmt: ms(0) },
  { key: "abRate", label: "message A → relay → B with receipt (/s)", better: "higher", fmt: ms(0) },
  { key: "abP50", label: "message A → relay → B p50 (ms)", better: "lower", fmt: ms(2) },
  { key: "allCpuPerCall", label: "browser CPU per sequential call, all Chromium processes (ms)", better: "lower", fmt: ms(2) },
  { key: "rendererCpuPerCall", label: "browser CPU per sequential call, renderer (ms)", better: "lower", fmt: ms(2), target: 0.6 },
  { key: "relayCpuPerCall", label: "relay CPU per hello call (ms)", better: "lower", fmt: ms(3), target: 0.3 },
  { key: "abRelayCpu", label: "relay CPU per relayed message A → B → A (ms)", better: "lower", fmt: ms(3) },
  { key: "pssConnected", label: "renderer PSS after connect (MB)", better: "lower", fmt: ms(0) },
  { key: "pssEnd", label: "renderer PSS after the phases (MB)", better: "lower", fmt: ms(0) },
  { key: "callsBeforeFailure", label: "calls on one connection before the first failure", better: "higher", fmt: (x) => String(x) },
  { key: "pssMemStart", label: "memory phase: renderer PSS before it (MB)", better: "lower", fmt: ms(0), optional: true },
  { key: "pssMemEnd", label: "memory phase: renderer PSS after its calls (MB)", better: "lower", fmt: ms(0), optional: true },
  { key: "pssMemAfterTtl", label: "memory phase: renderer PSS once their TTL has passed (MB)", better: "lower", fmt: ms(0), optional: true },
  { key: "memGrowth", label: "memory phase: PSS growth, before → after TTL (MB; target flat)", better: "lower", fmt: ms(1), optional: true },
];

/** Median, min and max of each figure over the loads of each client. */
export function summarize(results) {
  const out = {};
  for (const r of rows) {
    out[r.key] = {};
    for (const client of ["js", "ours"]) {
      const xs = results[client].map((f) => f[r.key]).filter((x) => typeof x === "number" && !Number.isNaN(x));
      out[r.key][client] = xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : null;
    }
  }
  const last = (client, k) => results[client].at(-1)?.[k];
  out.meta = {
    particles: { js: last("js", "particles"), ours: last("ours", "particles") },
    failure: { js: last("js", "failure"), ours: last("ours", "failure") },
    limit: last("ours", "limit"),
    files: { js: last("js", "files"), ours: last("ours", "files") },
  };
  return out;
}

// How many times better fluence-client is (> 1: better).
function ratio(r, s) {
  const js = s[r.key].js?.median;
  const ours = s[r.key].ours?.median;
  // Only positive figures have a meaningful ratio (a PSS growth may be 0 or negative).
  if (js === undefined || ours === undefined || !(js > 0) || !(ours > 0)) return "—";
  const x = r.better === "lower" ? js / ours : ours / js;
  return `${x.toFixed(1)}×`;
}

function target(r, s) {
  if (r.target === undefined) return "";
  const ours = s[r.key].ours?.median;
  const met = ours !== undefined && (r.better === "lower" ? ours <= r.target : ours >= r.target);
  return `${r.better === "lower" ? "≤" : "≥"} ${r.fmt(r.target)} ${met ? "met" : "not yet"}`;
}

function cell(r, v, limit) {
  if (!v) return "—";
  let t = `${r.fmt(v.median)} (${r.fmt(v.min)}–${r.fmt(v.max)})`;
  if (r.key === "callsBeforeFailure" && limit && v.min >= limit) t = `≥ ${limit} (none failed)`;
  return t;
}

/** The table as printed on the console and written in BENCHMARKS.md (Markdown). */
export function table(s) {
  const lines = [
    "| figure | js-client 0.9.0 median (min–max) | fluence-client median (min–max) | fluence-client better by | target (fluence-client) |",
    "|---|---|---|---|---|",
  ];
  for (const r of rows) {
    if (r.optional && !s[r.key].js && !s[r.key].ours) continue;
    lines.push(`| ${r.label} | ${cell(r, s[r.key].js, s.meta.limit)} | ${cell(r, s[r.key].ours, s.meta.limit)} | ${ratio(r, s)} | ${target(r, s)} |`);
  }
  return lines.join("\n");
}

/**
 * Warnings for figures of fluence-client worse than the committed run's by more than the noise.
 * Where js-client has the figure too, what is compared is fluence-client's figure relative to
 * js-client's in the same run, so that a slower or busier machine (which slows both) is not
 * taken for a regression; the noise is then the two clients' relative spreads (min–max over
 * median) added. Otherwise (bytes, for one) the figure itself, with its own spread. At least 10%.
 */
export function compare(committed, s) {
  const out = [];
  const spread = (v) => (v && v.median ? (v.max - v.min) / Math.abs(v.median) : 0);
  for (const r of rows) {
    const old = committed[r.key]?.ours;
    const neu = s[r.key]?.ours;
    if (!old || !neu || !old.median || !neu.median) continue;
    const oldJs = committed[r.key]?.js;
    const neuJs = s[r.key]?.js;
    const relative = Boolean(oldJs?.median && neuJs?.median);
    const [a, b] = relative ? [old.median / oldJs.median, neu.median / neuJs.median] : [old.median, neu.median];
    const noise = relative
      ? Math.max(0.1, spread(old) + spread(oldJs), spread(neu) + spread(neuJs))
      : Math.max(0.1, spread(old), spread(neu));
    const worse = r.better === "lower" ? b > a * (1 + noise) : b < a * (1 - noise);
    if (worse) {
      const vs = relative ? ` (${(b).toFixed(2)} of js-client's against ${(a).toFixed(2)})` : "";
      out.push(
        `${r.label}: fluence-client ${r.fmt(neu.median)} against ${r.fmt(old.median)} in the committed BENCHMARKS.md${vs}; noise ±${Math.round(noise * 100)}%`,
      );
    }
  }
  return out;
}

const DATA = "<!-- bench-data ";

/** The figures of a BENCHMARKS.md written by this script (null if it has none). */
export function parseCommitted(text) {
  const i = text.indexOf(DATA);
  if (i < 0) return null;
  try {
    return JSON.parse(text.slice(i + DATA.length, text.indexOf(" -->", i)));
  } catch {
    return null;
  }
}

/** BENCHMARKS.md. */
export function markdown({ summary, machine, profile, crates, warnings }) {
  const s = summary;
  const figuresOnly = Object.fromEntries(rows.map((r) => [r.key, s[r.key]]));
  const p = machine.params;
  const out = [];
  out.push("# Benchmarks: fluence-client and @fluencelabs/js-client 0.9.0, side by side");
  out.push("");
  out.push(
    `Written by \`bash scripts/bench.sh${machine.smoke ? " --smoke" : ""}\` (tests/bench/bench.mjs) on ${machine.date}, commit ${machine.commit}. ` +
      `${machine.loads} cold load${machine.loads > 1 ? "s" : ""} of each client, interleaved (js, ours, js, ours, …): each a fresh headless ` +
      "Chromium (new profile, no cache) without a DevTools connection, the same page logic and the same Aqua-compiled AIR " +
      "(tests/bench/page.js, tests/aqua/core.aqua) against one local relay (this repository's, release build). " +
      "js-client is its browser bundle (`dist/browser/index.min.js`) with AquaVM, marine and its worker served locally through `CDNUrl`.",
  );
  out.push("");
  out.push(`Machine: ${machine.cpu}, ${machine.memory}; ${machine.chromium}; Node ${machine.node}. Shared and noisy: read the figures as ratios within one run.`);
  out.push("");
  out.push(
    `Phases of each load: connect; a second client; disconnect and connect again; ${p.seq} sequential \`hello\` calls ` +
      `(client → relay \`op.identity\` → client; CPU sampled from /proc around them); ${p.inflight} calls with ${p.conc} in flight; ` +
      `${p.ab} messages A → relay → B's \`chat.receive\` → A with B's receipt (both clients in the page); ` +
      (p.particles > 0
        ? `the memory phase: ${p.particles} more calls with ${p.conc} in flight (js-client on a new connection every 900), the renderer's PSS before, after, and 10 s later (their TTL is 7 s; \`gc()\` before each sample); `
        : "") +
      (p.limit > 0 ? `then up to ${p.limit} calls on one new connection until the first failure.` : "no calls-until-failure phase (smoke)."),
  );
  out.push("");
  out.push(table(s));
  out.push("");
  out.push(
    `Bytes: every file the bench server sent before the page was connected (the page and its AIR excepted), each compressed ` +
      `as a CDN would (gzip -9, brotli quality 11). fluence-client: ${(s.meta.files.ours ?? []).join(", ")}. ` +
      `js-client: ${(s.meta.files.js ?? []).join(", ")}.`,
  );
  out.push(
    `CPU per call: the CPU time (utime + stime, 10 ms ticks) of the whole Chromium process tree, of its renderer processes, and of the relay over the sequential phase, divided by its calls. ` +
      `PSS: the page's renderer process (smaps_rollup) after connect and after ${s.meta.particles.ours ?? "?"} particles.` +
      (s.meta.failure.js ? ` js-client's first failure: "${s.meta.failure.js}".` : ""),
  );
  if (warnings.length) {
    out.push("");
    out.push("Warnings of this run (worse than the BENCHMARKS.md it replaced by more than the noise):");
    for (const w of warnings) out.push(`- ${w}`);
  }
  out.push("");
  out.push("![per-call latency distributions and CPU per call of both clients](benchmarks.svg)");
  out.push("");
  out.push("## Where the bytes are");
  out.push("");
  out.push(`\`${crates.file}\`, ${crates.total.toLocaleString("en-US")} B raw (tests/bench/wasm-crates.mjs). Sections:`);
  out.push("");
  out.push("| section | bytes |");
  out.push("|---|---|");
  for (const x of crates.sections.slice(0, 6)) out.push(`| ${x.name} | ${x.bytes.toLocaleString("en-US")} |`);
  out.push("");
  if (crates.crates) {
    const code = crates.crates.reduce((a, c) => a + c.bytes, 0);
    out.push("Code by crate (function bodies, attributed by their Rust path; generic code is counted in the crate that defines it):");
    out.push("");
    out.push("| crate | code bytes | share of code | functions |");
    out.push("|---|---|---|---|");
    for (const c of crates.crates.slice(0, 25)) {
      out.push(`| ${c.crate.replace(/\|/g, "\\|")} | ${c.bytes.toLocaleString("en-US")} | ${((100 * c.bytes) / code).toFixed(1)}% | ${c.functions} |`);
    }
    const rest = crates.crates.slice(25);
    out.push(`| ${rest.length} more | ${rest.reduce((a, c) => a + c.bytes, 0).toLocaleString("en-US")} | ${((100 * rest.reduce((a, c) => a + c.bytes, 0)) / code).toFixed(1)}% | ${rest.reduce((a, c) => a + c.functions, 0)} |`);
  } else {
    out.push("(No per-crate table: the wasm has no function names. `bash scripts/bench.sh` builds them with scripts/build-pkg-names.sh.)");
  }
  out.push("");
  out.push("## Where the milliseconds are");
  out.push("");
  out.push(
    `A separate diagnostic run (not in the table: DevTools costs CPU): the Chromium CPU profile (DevTools protocol, only its \`Profiler\` domain, sampling every ${profile.intervalUs} µs) ` +
      `of ${profile.calls} sequential \`hello\` calls of fluence-client (${profile.pkg}); ${profile.totalMs.toFixed(0)} ms sampled, ` +
      `${profile.idlePct.toFixed(0)}% idle: ${(profile.busyMs / profile.calls).toFixed(2)} ms of main-thread work per call. Top 10 functions by self time:`,
  );
  out.push("");
  out.push("| function | self ms | self % of busy |");
  out.push("|---|---|---|");
  for (const f of profile.top) out.push(`| ${f.name.replace(/\|/g, "\\|").slice(0, 110)} | ${f.ms.toFixed(1)} | ${f.pct.toFixed(1)}% |`);
  out.push("");
  out.push("The same self time by crate of the wasm (by the Rust path of each function), the package's JS and the browser's own work:");
  out.push("");
  out.push("| where | self ms | self % of busy |");
  out.push("|---|---|---|");
  for (const f of profile.byGroup.slice(0, 12)) out.push(`| ${f.name.replace(/\|/g, "\\|")} | ${f.ms.toFixed(1)} | ${f.pct.toFixed(1)}% |`);
  out.push("");
  out.push(`${DATA}${JSON.stringify(figuresOnly)} -->`);
  out.push("");
  return out.join("\n");
}

// --- plot -------------------------------------------------------------------------------------

const colors = { js: "#d9480f", ours: "#1864ab" };
const names = { js: "js-client 0.9.0", ours: "fluence-client" };
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");

function cdfPanel(x0, y0, w, h, title, series) {
  const all = Object.values(series).flat().filter((v) => v > 0);
  if (all.length === 0) return "";
  const lo = Math.log10(Math.max(0.1, Math.min(...all)));
  const hi = Math.log10(Math.max(...all) * 1.05);
  const sx = (v) => x0 + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo || 1)) * w;
  const sy = (p) => y0 + h - p * h;
  let out = `<text x="${x0}" y="${y0 - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`;
  out += `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#999"/>`;
  for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** d;
      if (Math.log10(v) < lo || Math.log10(v) > hi) continue;
      out += `<line x1="${sx(v)}" y1="${y0}" x2="${sx(v)}" y2="${y0 + h}" stroke="#eee"/>`;
      out += `<text x="${sx(v)}" y="${y0 + h + 14}" font-size="10" text-anchor="middle">${v}</text>`;
    }
  }
  for (const p of [0, 0.5, 1]) out += `<text x="${x0 - 4}" y="${sy(p) + 3}" font-size="10" text-anchor="end">${p * 100}%</text>`;
  out += `<text x="${x0 + w / 2}" y="${y0 + h + 28}" font-size="11" text-anchor="middle">ms per call (log scale); y: share of calls at most that long</text>`;
  for (const [client, xs] of Object.entries(series)) {
    const s = [...xs].sort((a, b) => a - b);
    if (s.length === 0) continue;
    const pts = s.map((v, i) => `${sx(v).toFixed(1)},${sy((i + 1) / s.length).toFixed(1)}`);
    out += `<polyline fill="none" stroke="${colors[client]}" stroke-width="1.6" points="${pts.join(" ")}"/>`;
  }
  return out;
}

function cpuPanel(x0, y0, w, h, results) {
  const kinds = [
    ["allCpuPerCall", "all Chromium"],
    ["rendererCpuPerCall", "renderer"],
    ["relayCpuPerCall", "relay"],
  ];
  const vals = Object.values(results).flat().flatMap((f) => kinds.map(([k]) => f[k]));
  const max = Math.max(0.1, ...vals.filter((v) => !Number.isNaN(v))) * 1.1;
  const sy = (v) => y0 + h - (v / max) * h;
  let out = `<text x="${x0}" y="${y0 - 8}" font-size="13" font-weight="bold">CPU per hello call (ms), a dot per load</text>`;
  out += `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#999"/>`;
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    out += `<text x="${x0 - 4}" y="${sy(v) + 3}" font-size="10" text-anchor="end">${v.toFixed(1)}</text>`;
  }
  const slot = w / kinds.length;
  kinds.forEach(([k, label], i) => {
    out += `<text x="${x0 + slot * (i + 0.5)}" y="${y0 + h + 14}" font-size="11" text-anchor="middle">${label}</text>`;
    for (const [j, client] of ["js", "ours"].entries()) {
      const cx = x0 + slot * i + slot * (0.33 + 0.34 * j);
      for (const f of results[client]) {
        if (Number.isNaN(f[k])) continue;
        out += `<circle cx="${cx.toFixed(1)}" cy="${sy(f[k]).toFixed(1)}" r="3.5" fill="${colors[client]}" fill-opacity="0.7"/>`;
      }
    }
  });
  return out;
}

/** The plot (SVG): latency distributions of both phases, CPU per call of each load. */
export function svg(results) {
  const W = 1000;
  const H = 330;
  let body = "";
  body += cdfPanel(60, 40, 260, 220, "sequential hello round trip", { js: results.js.flatMap((f) => f.seqLatencies), ours: results.ours.flatMap((f) => f.seqLatencies) });
  body += cdfPanel(390, 40, 260, 220, "message A → relay → B with receipt", { js: results.js.flatMap((f) => f.abLatencies), ours: results.ours.flatMap((f) => f.abLatencies) });
  body += cpuPanel(720, 40, 260, 220, results);
  body += `<g font-size="12">`;
  for (const [i, c] of ["js", "ours"].entries()) {
    body += `<rect x="${60 + i * 180}" y="${H - 22}" width="12" height="12" fill="${colors[c]}"/><text x="${78 + i * 180}" y="${H - 12}">${names[c]}</text>`;
  }
  body += "</g>";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${body}</svg>\n`;
}
