// esbuild plugin: Lit reads optional hooks from globalThis for the ShadyDOM/ShadyCSS polyfills
// (browsers without shadow DOM) and for server-side-render hydration. The widgets need neither
// (they need browsers with shadow DOM and :dir(), and render on the client only), and a host
// page's polyfill should not reach into their private copy of Lit. Reading the hooks as
// `undefined` lets the minifier drop the code behind them. lit-html and reactive-element also
// record their versions on globalThis, which only Lit's development build reads; lit-element's
// record stays, the one mark that Lit runs on the page. About 110 bytes gzipped per bundle.
import { readFile } from "node:fs/promises";

const VERSION_RECORDS = /\(\w+\.(litHtmlVersions|reactiveElementVersions)\?\?=\[\]\)\.push\("[\d.]+"\)/;
const HOOKS = /\b[\w$]+\.(litHtmlPolyfillSupport|reactiveElementPolyfillSupport|litElementPolyfillSupport|litElementHydrateSupport)\b/g;

export function withoutLitHooks() {
  return {
    name: "without-lit-hooks",
    setup(build) {
      build.onLoad({ filter: /[\\/](lit-html|reactive-element|lit-element)\.js$/ }, async ({ path }) => {
        const source = await readFile(path, "utf8");
        const contents = source.replace(HOOKS, "(void 0)").replace(VERSION_RECORDS, "(void 0)");
        // A Lit release that renamed its hooks would silently bring them back: say so instead.
        if (contents === source) throw new Error(`without-lit-hooks: no polyfill or hydration hook found in ${path}`);
        return { contents, loader: "js" };
      });
    },
  };
}
