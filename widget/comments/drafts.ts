import { read, write } from "../shared/reader";

/** What a reader has typed into one comment form and not yet posted. */
export interface Draft {
  author?: string;
  email?: string;
  website?: string;
  body?: string;
}

const KEY = "plaudit:drafts";
/** A draft nobody came back to within a week is forgotten, so storage never fills up with them. */
const DRAFT_DAYS = 7;
/** Email addresses stay in memory for this page view only: they are never written to storage. */
const emails: Record<string, string> = {};

type Stored = Record<string, Omit<Draft, "email"> & { at: number }>;

/** One draft per article and form: `parent` is the comment replied to, "" for the new-comment form. */
const keyOf = (api: string, article: string, parent: string) => `${api} ${article} ${parent}`;

function stored(): Stored {
  const cutoff = Date.now() - DRAFT_DAYS * 864e5;
  try {
    const all: Stored = JSON.parse(read(KEY) ?? "{}");
    return Object.fromEntries(Object.entries(all).filter(([, draft]) => draft.at > cutoff));
  } catch {
    return {};
  }
}

export function loadDraft(api: string, article: string, parent: string): Draft {
  const key = keyOf(api, article, parent);
  const { at, ...draft } = stored()[key] ?? { at: 0 };
  return emails[key] ? { ...draft, email: emails[key] } : draft;
}

export function saveDraft(api: string, article: string, parent: string, { email, ...draft }: Draft): void {
  const key = keyOf(api, article, parent);
  const all = stored();
  if (email) emails[key] = email;
  else delete emails[key];
  if (draft.author || draft.website || draft.body) all[key] = { ...draft, at: Date.now() };
  else delete all[key];
  write(KEY, JSON.stringify(all));
}

/** After a successful post: that form starts empty again. */
export function clearDraft(api: string, article: string, parent: string): void {
  saveDraft(api, article, parent, {});
}
