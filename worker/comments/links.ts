/**
 * The one definition of a link in a comment, shared by the Worker (which counts links against
 * MAX_LINKS) and the widget (which makes them clickable), so that nothing is rendered as a link
 * without being counted. A link is an http(s) address, in any letter case, wherever it starts
 * (also inside a word: "1https://…" is still clickable), ending before trailing punctuation that
 * usually belongs to the sentence.
 */
const LINK = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

export interface FoundLink {
  index: number;
  href: string;
}

export function findLinks(text: string): FoundLink[] {
  return Array.from(text.matchAll(LINK), (match) => ({ index: match.index, href: match[0] }));
}

export function countLinks(text: string): number {
  return findLinks(text).length;
}
