import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const readmePath = join(root, "README.md");
const docsDir = join(root, "docs");
const documents = [readmePath, ...readdirSync(docsDir).filter((name) => name.endsWith(".md")).map((name) => join(docsDir, name))];

/** The text outside fenced code blocks: `# comment` lines in a shell block are not headings. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "");
}

/** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutFences(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = headingSlug(heading!);
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    anchors.add(repeats === 0 ? slug : `${slug}-${repeats}`);
  }
  return anchors;
}

/** Every link and image target, outside code. */
function linkTargets(markdown: string): string[] {
  const prose = withoutFences(markdown).replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** What is wrong with each relative link of one document: a missing file, or a missing heading. */
function brokenLinks(path: string): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(readFileSync(path, "utf8"))) {
    if (isExternal(target)) continue;
    const [file = "", anchor] = target.split("#", 2);
    const targetPath = file === "" ? path : resolve(dirname(path), decodeURIComponent(file));
    const shown = `${relative(root, path)} → ${target}`;
    if (!existsSync(targetPath)) {
      problems.push(`${shown}: no such file`);
      continue;
    }
    if (anchor === undefined || anchor === "" || statSync(targetPath).isDirectory()) continue;
    if (!anchorsOf(readFileSync(targetPath, "utf8")).has(decodeURIComponent(anchor).toLowerCase())) {
      problems.push(`${shown}: no heading with that anchor in ${relative(root, targetPath)}`);
    }
  }
  return problems;
}

describe("README and docs/", () => {
  it("keep README a front page of at most 300 lines that says how to run the tests", () => {
    const readme = readFileSync(readmePath, "utf8");
    expect(readme.split("\n").length).toBeLessThanOrEqual(300);
    expect(readme).toContain("npm test");
  });

  it("link only to files and headings that exist", () => {
    expect(documents.flatMap(brokenLinks)).toEqual([]);
  });

  it("link every reference page from README", () => {
    const linked = new Set(linkTargets(readFileSync(readmePath, "utf8")).map((target) => target.split("#")[0]));
    const pages = documents.filter((path) => path !== readmePath).map((path) => relative(root, path));
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
  });

  it("find anchors as GitHub makes them", () => {
    expect(headingSlug("HTTP API (`/api/v1`)")).toBe("http-api-apiv1");
    expect(headingSlug("`GET /api/v1/articles?ids=…` (index pages)")).toBe("get-apiv1articlesids-index-pages");
    expect(headingSlug("Staying inside Workers KV's limits")).toBe("staying-inside-workers-kvs-limits");
    expect(anchorsOf("# A\n```sh\n# not a heading\n```\n## A\n")).toEqual(new Set(["a", "a-1"]));
  });
});
