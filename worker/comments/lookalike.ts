// Loaded with import() when a comment is checked (reserved.ts, blocklist.ts), never with the
// routes: the Unicode confusables data it carries weighs ~75 KB.
import unhomoglyph from "unhomoglyph";

// Render as nothing: zero-width spaces and joiners, soft hyphens, the Hangul fillers (U+115F,
// U+1160, U+3164, U+FFA0), variation selectors, tags.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
// Accents on the letters look-alikes are made of: "cásino" is "casino" with a mark. Marks of other
// scripts stay, where they tell words apart (Devanagari vowel signs).
const DECORATIVE_MARKS = /(?<=[\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{sc=Armenian}\p{sc=Common}])\p{M}+/gu;
// Digits read as letters ("J4ne"); 0 and 1 the Unicode data already maps. And once case is
// folded an "i" may have been an "I", which looks like "l".
const READ_AS: Record<string, string> = { "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", i: "l" };

const skeleton = (text: string) => unhomoglyph(text).normalize("NFD").replace(DECORATIVE_MARKS, "");

/**
 * What text looks like, for comparing names and block-list words: the Unicode TR39 confusable
 * skeleton (confusables.txt), without invisible characters or accents, whatever the letter case.
 * Text that folds alike looks alike; the result is for comparing, never for showing.
 */
export function lookalikeFold(text: string): string {
  const plain = skeleton(text.normalize("NFKC").replace(INVISIBLE, "").normalize("NFD").replace(DECORATIVE_MARKS, ""));
  return Array.from(skeleton(plain.toLowerCase()).toLowerCase(), (char) => READ_AS[char] ?? char).join("");
}
