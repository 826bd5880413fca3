/**
 * The owner's name is reserved: a reader must not sign as the site's author, nor as something
 * that merely looks like it ("j0hn  SMITH", "Јohn Smith" with a Cyrillic J, "ｊｏｈｎ").
 */

// Letters that render like Latin ones (Cyrillic, Greek) and the digits and marks people swap in.
const LOOK_ALIKES: Record<string, string> = {
  а: "a", в: "b", е: "e", ё: "e", з: "3", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  ѕ: "s", і: "l", ї: "l", ј: "j", һ: "h", ԁ: "d", ԛ: "q", ԝ: "w", ӏ: "l", ɡ: "g", ı: "l",
  α: "a", β: "b", ε: "e", η: "n", ι: "l", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", γ: "y", ω: "w",
  "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", $: "s", "|": "l", "!": "l", i: "l",
};

/** What a name looks like, for comparing: same skeleton, same-looking name. */
export function nameSkeleton(name: string): string {
  const folded = name.normalize("NFKC").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  const mapped = Array.from(folded, (char) => LOOK_ALIKES[char] ?? char).join("");
  // Multi-letter look-alikes, once single letters are settled; then spacing and punctuation go.
  return mapped.replace(/rn/g, "m").replace(/vv/g, "w").replace(/[^\p{L}\p{N}]/gu, "");
}

/** True when `author` would pass for the owner's name. */
export function isOwnerName(author: string, ownerName: string): boolean {
  const owner = nameSkeleton(ownerName);
  return owner !== "" && nameSkeleton(author) === owner;
}
