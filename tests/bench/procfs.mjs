// CPU and memory of processes from /proc (Linux), for the benchmark: a process tree's CPU time
// (every thread of every process), the renderer processes of a Chromium, a process's PSS.
import { readFileSync, readdirSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
export const TICKS_PER_SECOND = 100;

function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: split after the last ")".
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null; // the process is gone
  }
}

// Chromium rewrites its processes' titles, so their cmdline may be one string with spaces.
function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** The process `root` and all its descendants: [{ pid, ticks, renderer }]. */
export function processTree(root) {
  const all = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s) all.set(Number(name), s);
  }
  const out = [];
  const walk = (pid) => {
    const s = all.get(pid);
    if (!s) return;
    out.push({ pid, ticks: s.ticks, renderer: / --type=renderer( |$)/.test(cmdline(pid)) });
    for (const [child, cs] of all) if (cs.ppid === pid) walk(child);
  };
  walk(root);
  return out;
}

/** CPU time in ms: { all, renderer } of a Chromium's process tree, `relay` of one process. */
export function cpuSample(chromiumPid, relayPid) {
  const tree = processTree(chromiumPid);
  const ms = (ticks) => (ticks * 1000) / TICKS_PER_SECOND;
  const sum = (ps) => ms(ps.reduce((a, p) => a + p.ticks, 0));
  return {
    all: sum(tree),
    renderer: sum(tree.filter((p) => p.renderer)),
    relay: ms(stat(relayPid)?.ticks ?? NaN),
  };
}

/** Proportional set size of a process in MB (smaps_rollup), NaN when unreadable. */
export function pssMB(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The largest PSS among a Chromium's renderer processes (the page's renderer), in MB. */
export function rendererPssMB(chromiumPid) {
  const pss = processTree(chromiumPid)
    .filter((p) => p.renderer)
    .map((p) => pssMB(p.pid))
    .filter((x) => !Number.isNaN(x));
  return pss.length ? Math.max(...pss) : NaN;
}
