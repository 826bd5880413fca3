import { describe, expect, it } from "vitest";
import { starFill, starForKey } from "../../widget/rating/stars";

describe("starFill", () => {
  it("fills 4.3 as four full stars and 30 % of the fifth", () => {
    expect([1, 2, 3, 4, 5].map((n) => starFill(4.3, n))).toEqual([100, 100, 100, 100, 30]);
  });
  it("shows nothing for no votes and everything for 5", () => {
    expect([1, 2, 3, 4, 5].map((n) => starFill(0, n))).toEqual([0, 0, 0, 0, 0]);
    expect([1, 2, 3, 4, 5].map((n) => starFill(5, n))).toEqual([100, 100, 100, 100, 100]);
    expect([1, 2, 3, 4, 5].map((n) => starFill(1.01, n))).toEqual([100, 1, 0, 0, 0]);
  });
});

describe("starForKey", () => {
  it("moves with arrows, wrapping at both ends", () => {
    expect(starForKey("ArrowRight", 3, false)).toBe(4);
    expect(starForKey("ArrowUp", 5, false)).toBe(1);
    expect(starForKey("ArrowLeft", 1, false)).toBe(5);
    expect(starForKey("ArrowDown", 2, false)).toBe(1);
  });
  it("mirrors left and right on right-to-left pages, not up and down", () => {
    expect(starForKey("ArrowLeft", 3, true)).toBe(4);
    expect(starForKey("ArrowRight", 3, true)).toBe(2);
    expect(starForKey("ArrowUp", 3, true)).toBe(4);
  });
  it("jumps with Home and End, and ignores other keys", () => {
    expect(starForKey("Home", 4, false)).toBe(1);
    expect(starForKey("End", 2, false)).toBe(5);
    expect(starForKey("Enter", 2, false)).toBe(0);
    expect(starForKey("a", 2, false)).toBe(0);
  });
});
