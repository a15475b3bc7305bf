// Where the bytes of the wasm are: the code size of each crate (from the function names of a
// build that keeps its "name" section: scripts/build-pkg-names.sh) and the size of each section.
//   node tests/bench/wasm-crates.mjs [file.wasm]
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { root } from "../browser/harness.mjs";

/** The wasm with names (scripts/build-pkg-names.sh), else the release package's. */
export const namedWasm = join(root, "target", "pkg-names", "fluence_client_bg.wasm");
export const releaseWasm = join(root, "pkg", "fluence_client_bg.wasm");

function reader(buf) {
  let pos = 0;
  const r = {
    get pos() {
      return pos;
    },
    set pos(p) {
      pos = p;
    },
    u8: () => buf[pos++],
    leb: () => {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = buf[pos++];
        if (b === undefined) throw new Error("truncated LEB128");
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if ((b & 0x80) === 0) return result;
      }
    },
    name: () => {
      const len = r.leb();
      const s = buf.subarray(pos, pos + len).toString("utf8");
      pos += len;
      return s;
    },
  };
  return r;
}

const sectionNames = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];

/** The crate a (mangled or demangled) Rust symbol belongs to; non-Rust names get a label. */
export function crateOf(name) {
  // `<&T as core::fmt::Debug>::fmt`: a blanket impl of a generic type counts for its trait.
  name = name.replace(/\[[0-9a-f]{8,}\]/g, "").replace(/^<[&*]*(mut )?[A-Z]\w* as /, "<");
  if (name.startsWith("_ZN")) {
    const m = /^_ZN(\d+)/.exec(name);
    const len = Number(m[1]);
    return name.slice(m[0].length, m[0].length + len);
  }
  let n = name.replace(/^[<&*\s]+|^(dyn |mut |const )+/g, "");
  while (/^[<&*([]/.test(n)) n = n.slice(1).replace(/^(dyn |mut |const )+/, "");
  const i = n.indexOf("::");
  if (i > 0) return n.slice(0, i);
  if (/^(__wbg|__wbindgen|wasm_bindgen)/.test(n)) return "wasm_bindgen (glue)";
  if (/^(memcpy|memset|memmove|memcmp|__)/.test(n)) return "compiler builtins / libc";
  return "(other symbols)";
}

/**
 * Parses a wasm module: { total, sections: [{ name, bytes }], crates: [{ crate, bytes, functions }]
 * | null when it has no function names }.
 */
export function analyse(buf) {
  const r = reader(buf);
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error("not a wasm module");
  r.pos = 8;
  const sections = new Map();
  let importedFuncs = 0;
  const bodies = [];
  const names = new Map();
  while (r.pos < buf.length) {
    const id = r.u8();
    const size = r.leb();
    const start = r.pos;
    let label = sectionNames[id] ?? `unknown ${id}`;
    if (id === 0) {
      label = `custom "${r.name()}"`;
      if (label === 'custom "name"') {
        while (r.pos < start + size) {
          const sub = r.u8();
          const subSize = r.leb();
          const subEnd = r.pos + subSize;
          if (sub === 1) {
            const count = r.leb();
            for (let i = 0; i < count; i++) names.set(r.leb(), r.name());
          }
          r.pos = subEnd;
        }
      }
    } else if (id === 2) {
      const count = r.leb();
      for (let i = 0; i < count; i++) {
        r.name();
        r.name();
        const kind = r.u8();
        if (kind === 0) {
          r.leb();
          importedFuncs++;
        } else if (kind === 1) {
          r.u8();
          const flags = r.leb();
          r.leb();
          if (flags & 1) r.leb();
        } else if (kind === 2) {
          const flags = r.leb();
          r.leb();
          if (flags & 1) r.leb();
        } else if (kind === 3) {
          r.u8();
          r.u8();
        } else {
          r.u8();
          r.leb();
        }
      }
    } else if (id === 10) {
      const count = r.leb();
      for (let i = 0; i < count; i++) {
        const len = r.leb();
        bodies.push(len); // body bytes (the size prefix not counted)
        r.pos += len;
      }
    }
    sections.set(label, (sections.get(label) ?? 0) + size);
    r.pos = start + size;
  }
  let crates = null;
  // A release build keeps only the names of a few imports: a table needs the names of most.
  if (names.size > bodies.length / 2) {
    const byCrate = new Map();
    bodies.forEach((bytes, i) => {
      const name = names.get(importedFuncs + i) ?? "(unnamed)";
      const c = crateOf(name);
      const e = byCrate.get(c) ?? { crate: c, bytes: 0, functions: 0 };
      e.bytes += bytes;
      e.functions += 1;
      byCrate.set(c, e);
    });
    crates = [...byCrate.values()].sort((a, b) => b.bytes - a.bytes);
  }
  return {
    total: buf.length,
    sections: [...sections].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    crates,
  };
}

/** The analysis of the named build if there is one, else of the release wasm. */
export function wasmCrateTable(file) {
  const path = file ?? (existsSync(namedWasm) ? namedWasm : releaseWasm);
  return { file: path.replace(root + "/", ""), ...analyse(readFileSync(path)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t = wasmCrateTable(process.argv[2]);
  console.log(`${t.file}: ${t.total} B`);
  for (const s of t.sections) console.log(`  section ${s.name.padEnd(28)} ${String(s.bytes).padStart(9)} B`);
  if (!t.crates) console.log("  (no function names: build them with scripts/build-pkg-names.sh)");
  else for (const c of t.crates.slice(0, 30)) console.log(`  crate ${c.crate.padEnd(30)} ${String(c.bytes).padStart(9)} B ${String(c.functions).padStart(6)} functions`);
}
