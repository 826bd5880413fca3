/** 0 (black) to 255 (white) for an rgb()/rgba() colour at least half opaque; NaN for any other. */
function brightness(color: string): number {
  const [red, green, blue, alpha = 1] = /^rgba?\(/.test(color) ? color.match(/[\d.]+/g)!.map(Number) : [];
  return alpha > 0.5 ? red! * 0.299 + green! * 0.587 + blue! * 0.114 : NaN;
}

/**
 * Whether the page shows `element` on a dark background. `prefers-color-scheme` cannot tell: a
 * light site read under a dark OS is still light. The nearest opaque background up the tree
 * (across shadow roots) decides; with none, the text colour the element inherits does, since a
 * page with light text has a dark canvas.
 */
export function onDarkBackground(element: Element): boolean {
  for (let node: Element | undefined = element; node; node = node.parentElement ?? (node.getRootNode() as ShadowRoot).host) {
    const background = brightness(getComputedStyle(node).backgroundColor);
    if (background >= 0) return background < 128;
  }
  return brightness(getComputedStyle(element).color) > 128;
}
