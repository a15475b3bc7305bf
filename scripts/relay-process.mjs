// Starts the fluence-relay binary on free ports and reads the multiaddr it prints.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The relay binary: $FLUENCE_RELAY_BIN, else the release build. */
export const relayBin =
  process.env.FLUENCE_RELAY_BIN ?? join(root, "target", "release", "fluence-relay");

/**
 * Starts a relay; resolves with { addr, peerId, port, pid, log, stop, kill, exited }.
 * `onLog(line)` sees its stderr lines as they come (they are kept in `log` too).
 */
export function startRelay({ wsPort = 0, secretKey, logLevel = "info", onLog, extraArgs = [] } = {}) {
  const args = ["--ws-port", String(wsPort), "--log-level", logLevel, ...extraArgs];
  if (secretKey) args.push("--secret-key", secretKey);
  const child = spawn(relayBin, args, {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = [];
  createInterface({ input: child.stderr }).on("line", (l) => {
    log.push(l);
    onLog?.(l);
  });
  const exited = new Promise((res) => child.once("exit", (code, signal) => res({ code, signal })));
  // Resolves once the process is gone (at once if it already is).
  const end = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited.then(() => {});
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("relay printed no address in 10 s")), 10_000);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`relay exited with ${code}: ${log.join("\n")}`)));
    createInterface({ input: child.stdout }).once("line", (addr) => {
      clearTimeout(timer);
      resolve({
        addr: addr.trim(),
        peerId: addr.trim().split("/p2p/")[1],
        port: Number(addr.trim().split("/tcp/")[1].split("/")[0]),
        pid: child.pid,
        log,
        exited,
        kill: () => end("SIGKILL"),
        stop: () => end("SIGTERM"),
      });
    });
  });
}
