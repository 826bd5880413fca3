// Embedding, override and isolate controls: they reorder the text around them, so a name or body
// could read differently from what it is ("moc.elpmaxe" shown as "example.com").
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

// At most 3 combining marks in a row: enough for every script's stacked accents (Vietnamese,
// Thai tone marks, Indic signs); longer runs are "zalgo", drawn far over the lines around them.
const MARK_RUN = /(\p{M}{3})\p{M}+/gu;

/** Remove what lets text spoof its surroundings: bidi controls and towers of combining marks. */
export function withoutSpoofing(text: string): string {
  return text.replace(BIDI_CONTROLS, "").replace(MARK_RUN, "$1");
}
