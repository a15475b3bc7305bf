// Vite 6/7's dev server pre-bundles dependencies into node_modules/.vite/deps/ without
// the files they locate with `new URL(…, import.meta.url)` (the .wasm, the worker script);
// the originals are still served from the package folder.

/**
 * Where Vite's dev server serves `file` of the package when a pre-bundled copy at `url`
 * asks for it: the package folder next to that cache, then the one in the app's root.
 * None when `url` is not in that cache.
 */
export function viteOriginals(url, file) {
  const at = url.pathname.indexOf("/node_modules/.vite/deps/");
  if (at < 0) return [];
  const urls = [
    new URL(`${url.pathname.slice(0, at)}/node_modules/fluence-client/${file}`, url),
    new URL(`/node_modules/fluence-client/${file}`, url),
  ];
  return urls.filter((u, i) => urls.findIndex((v) => v.href === u.href) === i);
}
