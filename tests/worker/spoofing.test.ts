import { describe, expect, it } from "vitest";
import { admin, articlePath, call, commentPath, json, publish } from "./support/api";

const marks = (count: number) => Array.from({ length: count }, (_, i) => String.fromCharCode(0x0300 + (i % 0x6f))).join("");

async function publicComment(article: string, id: string) {
  const { comments } = await json(await call("GET", articlePath(article)));
  return comments.items.find((item: { id: string }) => item.id === id) as { author: string; body: string };
}

describe("text that spoofs its surroundings", () => {
  it("strips bidi embedding, override and isolate controls from author and body", async () => {
    const controls = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
    const { comment } = await publish("bidi", {
      author: "\u202eAdmin\u202c Team",
      body: `Download invoice\u202Efdp.exe\u202C now; ${controls.join("x")} end`,
    });
    const shown = await publicComment("bidi", comment.id);
    expect(shown.author).toBe("Admin Team");
    expect(shown.body).toBe(`Download invoicefdp.exe now; ${"x".repeat(controls.length - 1)} end`);
  });

  it("caps runs of combining marks at 3 per character, in author and body", async () => {
    const { comment } = await publish("zalgo", { author: `Z${marks(40)}ed`, body: `H${marks(200)}ello w${marks(4)}orld` });
    const shown = await publicComment("zalgo", comment.id);
    expect(shown.author).toBe(`Z${marks(3)}ed`);
    expect(shown.body).toBe(`H${marks(3)}ello w${marks(3)}orld`);
  });

  it("leaves real accents, scripts and emoji alone", async () => {
    const text = "Vie\u0323\u0302t Nam, cafe\u0301, \u0e01\u0e34\u0e48, \u0915\u094d\u0937\u093f, 1\ufe0f\u20e3, \u05e9\u05c1\u05b8\u05bc";
    const { comment } = await publish("accents", { author: "Nguye\u0302\u0303n", body: text });
    const shown = await publicComment("accents", comment.id);
    expect(shown).toMatchObject({ author: "Nguye\u0302\u0303n", body: text });
  });

  it("applies to authors' and moderators' edits too", async () => {
    const { comment, editToken } = await publish("spoof-edit");
    const edited = await call("PATCH", articlePath("spoof-edit", `/comments/${comment.id}`), { body: { editToken, body: `a\u202eb${marks(9)}` } });
    expect((await json(edited)).comment.body).toBe(`ab${marks(3)}`);
    const moderated = await admin("PATCH", commentPath("spoof-edit", comment.id), { body: { body: `\u2067c${marks(9)}` } });
    expect((await json(moderated)).comment.body).toBe(`c${marks(3)}`);
  });
});
