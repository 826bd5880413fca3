/**
 * The owner's name is reserved: a reader must not sign as the site's author, nor as something
 * that merely looks like it ("j0hn  SMITH", "Јohn Smith" with a Cyrillic J, "ｊｏｈｎ", "John
 * Smith" followed by a Hangul filler).
 */
const lookalike = () => import("./lookalike");

/** What a name looks like, for comparing: same skeleton, same-looking name. Spacing and punctuation do not count. */
export async function nameSkeleton(name: string): Promise<string> {
  return (await lookalike()).lookalikeFold(name).replace(/[^\p{L}\p{N}]/gu, "");
}

/** True when `author` would pass for the owner's name. */
export async function isOwnerName(author: string, ownerName: string): Promise<boolean> {
  const owner = await nameSkeleton(ownerName);
  return owner !== "" && (await nameSkeleton(author)) === owner;
}
