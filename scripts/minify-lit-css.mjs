// esbuild plugin: minify Lit `css` template literals in *.styles.ts with esbuild's CSS minifier.
// A literal without `${…}` becomes `unsafeCSS("…")`: the same CSSResult, built without shipping
// the runtime checks of the `css` tag. Literals with interpolations stay `css` tagged.
import { readFile } from "node:fs/promises";
import { transform } from "esbuild";

const CSS_LITERAL = /\bcss`([^`]*)`/g;

async function minifyCss(source) {
  const parts = [];
  const masked = source.replace(/\$\{([^}]*)\}/g, (_, expression) => `__lit${parts.push(expression) - 1}__`);
  const { code } = await transform(masked, { loader: "css", minify: true });
  // esbuild keeps custom property values and var() fallbacks verbatim: their leading space and
  // the spaces after their commas are insignificant in CSS (none of ours holds a string).
  const tidy = (value) => value.trim().replace(/,\s+/g, ",");
  return { css: code.trim().replace(/(--[\w-]+):([^;{}]*)/g, (_, name, value) => `${name}:${tidy(value)}`).replace(/var\((--[\w-]+),\s+/g, "var($1,"), parts };
}

export function minifyLitCss() {
  return {
    name: "minify-lit-css",
    setup(build) {
      build.onLoad({ filter: /\.styles\.ts$/ }, async ({ path }) => {
        let output = await readFile(path, "utf8");
        const usesLit = /from "lit"/.test(output);
        for (const [whole, body] of output.matchAll(CSS_LITERAL)) {
          const { css, parts } = await minifyCss(body);
          const replacement = !usesLit
            ? JSON.stringify(css)
            : parts.length
            ? `css\`${css.replace(/__lit(\d+)__/g, (_, index) => `\${${parts[Number(index)]}}`)}\``
            : `unsafeCSS(${JSON.stringify(css)})`;
          output = output.replace(whole, replacement);
        }
        if (usesLit && !/\bunsafeCSS\b.*from "lit"/.test(output)) output = `import { unsafeCSS } from "lit";\n${output}`;
        return { contents: output, loader: "ts" };
      });
    },
  };
}
