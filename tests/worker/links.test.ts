import { describe, expect, it } from "vitest";
import { countLinks } from "../../worker/comments/links";
import { LINK_CASES } from "../link-cases";
import { json, postComment } from "./support/api";

let article = 0;

describe("MAX_LINKS counts the links the widget shows", () => {
  // The same table the widget's rendering is tested with.
  it.each(LINK_CASES)("$text", async ({ text, links }) => {
    expect(countLinks(text)).toBe(links.length);
    if (links.length === 0) return;
    const post = (maxLinks: number) => postComment(`links-shared-${(article += 1)}`, { body: text }, { env: { MODERATION: "post", MAX_LINKS: String(maxLinks) } });
    expect((await json(await post(links.length - 1))).comment.status).toBe("pending");
    expect((await json(await post(links.length))).comment.status).toBe("approved");
  });
});
