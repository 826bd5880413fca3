import { describe, expect, it } from "vitest";
import { articleFromPath } from "../../widget/shared/article-path";

describe("articleFromPath", () => {
  it("decodes the letters a browser percent-encodes, in either Unicode form", () => {
    expect(articleFromPath("/caf%C3%A9/")).toBe("/café/");
    expect(articleFromPath("/cafe%CC%81/")).toBe("/cafe\u0301/");
    expect(articleFromPath("/%E6%97%A5%E8%A8%98/")).toBe("/日記/");
  });

  it("keeps encoded separators, so /a%2Fb and /a/b stay two articles", () => {
    expect(articleFromPath("/a%2Fb/%3Fq%23x")).toBe("/a%2Fb/%3Fq%23x");
  });

  it("keeps a path that is not valid UTF-8 as it came", () => {
    expect(articleFromPath("/caf%E9/")).toBe("/caf%E9/");
  });
});
