// @fluencelabs/aqua-api is Scala.js: its result objects carry mangled own property
// names ("Laqua_js_ScalarTypeDefJs__f_name"). `plain` gives a deep copy with the plain
// names ("name"), which is what JSON output and @fluencelabs/aqua-to-js read.
export function plain(v) {
  if (Array.isArray(v)) return v.map(plain);
  if (v === null || typeof v !== "object") return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k.replace(/^L.*__f_/, "")] = plain(x);
  return out;
}
