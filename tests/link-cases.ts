/**
 * What counts as a link in a comment body, and so what the widget makes clickable: one table,
 * checked against the Worker's MAX_LINKS count and the widget's rendering alike.
 */
export const LINK_CASES: { text: string; links: string[] }[] = [
  { text: "See https://example.com/a?b=1.", links: ["https://example.com/a?b=1"] },
  { text: "glued: 1https://spam.example and xhttp://b.example/", links: ["https://spam.example", "http://b.example/"] },
  { text: "HTTPS://SHOUTING.EXAMPLE/Path and Http://mixed.example", links: ["HTTPS://SHOUTING.EXAMPLE/Path", "Http://mixed.example"] },
  { text: "(see http://a.example/path), or <https://b.example>!", links: ["http://a.example/path", "https://b.example"] },
  { text: "one per line\nhttps://a.example\n\nhttps://b.example?", links: ["https://a.example", "https://b.example"] },
  { text: "https://a.example,https://b.example", links: ["https://a.example,https://b.example"] },
  { text: 'https://ok.example/"onmouseover="x', links: ["https://ok.example/"] },
  { text: "javascript:alert(1) ftp://x.example www.example.com mailto:a@b.example", links: [] },
  { text: "http:// and https://x and http:/one.example", links: [] },
];
