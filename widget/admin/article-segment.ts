/**
 * An article id as a path segment. URLs resolve `.` and `..` away (even encoded), so those ids,
 * stored before they were refused, get a trailing space the Worker trims off again.
 */
export function articleSegment(article: string): string {
  return encodeURIComponent(article) + (/^\.\.?$/.test(article) ? "%20" : "");
}
