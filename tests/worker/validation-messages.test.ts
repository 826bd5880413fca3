import { describe, expect, it } from "vitest";
import { articlePath, call, json } from "./support/api";

// Fields without a message of their own fall back to zod's English texts. zod/mini ships none,
// so these pin that the Worker loads them: without it every such error reads "Invalid input".
describe("fields without their own message keep zod's English fallback", () => {
  it.each([
    ["a turnstileToken that is not text", 5, "Invalid input: expected string, received number"],
    ["an over-long turnstileToken", "t".repeat(4097), "Too big: expected string to have <=4096 characters"],
  ])("%s", async (_, turnstileToken, message) => {
    const response = await call("POST", articlePath("fallback-messages", "/comments"), { body: { author: "Ada", body: "Hello there", turnstileToken } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: "invalid_comment", message, field: "turnstileToken" } });
  });

  it("an over-long editToken", async () => {
    const response = await call("PATCH", articlePath("fallback-messages", "/comments/0000000000000000000"), { body: { editToken: "e".repeat(201), body: "Edited" } });
    expect(response.status).toBe(400);
    // The string's own `error` covers its length checks too, exactly as before.
    expect(await json(response)).toEqual({ error: { code: "invalid_comment", message: "`editToken` is required.", field: "editToken" } });
  });
});
