/**
 * The article id for a URL path. Browsers percent-encode paths, and the server can only bring
 * "café" typed on a Mac and on Windows to one NFC form once it sees the letters: so decode first.
 * decodeURI leaves encoded separators (%2F, %3F, %23) alone, so two paths never merge into one id;
 * a path that is not valid UTF-8 stays as it came.
 */
export function articleFromPath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}
