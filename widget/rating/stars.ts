export const STARS = [1, 2, 3, 4, 5];

/** How much of star `n` (1-based) to fill, in percent, for a rating value: 4.3 fills 30 % of the 5th. */
export function starFill(value: number, n: number): number {
  return Math.round(Math.min(1, Math.max(0, value - n + 1)) * 100);
}

/**
 * The star an arrow, Home or End key moves focus to from `current` (wrapping around, mirrored on
 * right-to-left pages), or 0 for any other key.
 */
export function starForKey(key: string, current: number, rtl: boolean): number {
  const forward = rtl ? "ArrowLeft" : "ArrowRight";
  const backward = rtl ? "ArrowRight" : "ArrowLeft";
  if (key === forward || key === "ArrowUp") return (current % 5) + 1;
  if (key === backward || key === "ArrowDown") return ((current + 3) % 5) + 1;
  return key === "Home" ? 1 : key === "End" ? 5 : 0;
}
