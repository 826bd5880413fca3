/**
 * Copy for each element comes in language packs under /locales/{element}/{language}.json.
 * `{name}` placeholders take numbers (formatted for the locale) or text; `[reader|readers]`
 * is chosen with Intl.PluralRules for the number the text is about.
 */
export type Messages = Record<string, string>;
export type Params = Record<string, number | string>;

export const LANGUAGES = ["en", "es", "fr", "de", "pt", "it"];
const packs: Record<string, Promise<Messages>> = {};

/** The supported language for a BCP 47 tag: "pt-BR" → "pt", unknown → "en". */
export function languageOf(tag: string): string {
  const base = tag.toLowerCase().split(/[-_]/)[0]!;
  return LANGUAGES.includes(base) ? base : "en";
}

/**
 * A language pack, fetched once per page from `base`/locales/. English ships inside the
 * bundle (`english`) and is never fetched; offline, English beats a widget with no words.
 */
export async function loadMessages<M extends Messages>(element: string, language: string, base: string, english: M): Promise<M> {
  if (language === "en") return english;
  const url = `${base}/locales/${element}/${language}.json`;
  return (packs[url] ??= fetch(url)
    .then((response) => (response.ok ? response.json() : english))
    .catch(() => english)) as Promise<M>;
}

/** Formats copy for one locale: plural forms, numbers and relative times via Intl. */
export class Translator<M extends Messages> {
  readonly locale: string;
  private readonly _plurals: Intl.PluralRules;

  constructor(
    readonly messages: M,
    tag: string,
  ) {
    // Copy in a language without a pack is English, and so are its plurals, numbers and times;
    // the page's region stays (en-GB dates, de-CH numbers).
    let locale = languageOf(tag);
    try {
      const canonical = new Intl.Locale(tag);
      if (canonical.language == locale) locale = `${canonical}`;
    } catch {
      // A malformed lang attribute must not break the widget.
    }
    this.locale = locale;
    this._plurals = new Intl.PluralRules(locale);
  }

  /**
   * Fill `{name}` placeholders (numbers formatted for the locale) and pick the singular or
   * plural of each `[singular|plural]` by the number in `pluralOf`.
   */
  format(template: string, params: Params = {}, pluralOf?: string): string {
    // Without `pluralOf` the number is NaN, which is never "one".
    const one = this._plurals.select(+params[pluralOf!]!) === "one";
    return template
      .replace(/\[([^|\]]*)\|([^\]]*)\]/g, (_, singular: string, plural: string) => (one ? singular : plural))
      .replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        return typeof value == "number" ? value.toLocaleString(this.locale, { maximumFractionDigits: 1 }) : (value ?? whole);
      });
  }
}
