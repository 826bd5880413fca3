import en from "../locales/en.json";

/**
 * Copy for one language. `{count}`, `{average}`, `{best}`, `{n}` and `{yours}` are placeholders;
 * `[reader|readers]` is chosen with Intl.PluralRules for the number the text is about.
 */
export type Messages = typeof en;

/** English ships inside embed.js; the others are small JSON files fetched only when needed. */
export const LANGUAGES = ["en", "es", "fr", "de", "pt", "it"];
const packs = new Map<string, Promise<Messages>>([["en", Promise.resolve(en)]]);

/** The supported language for a BCP 47 tag: "pt-BR" → "pt", unknown → "en". */
export function languageOf(tag: string): string {
  const base = tag.toLowerCase().split(/[-_]/)[0] ?? "";
  return LANGUAGES.includes(base) ? base : "en";
}

/** The language pack for a supported language, fetched once per page from `base`/locales/. */
export function loadMessages(language: string, base: string): Promise<Messages> {
  let pack = packs.get(language);
  if (!pack) {
    pack = fetch(`${base}/locales/${language}.json`)
      .then((response) => (response.ok ? (response.json() as Promise<Messages>) : en))
      // Offline or blocked: English beats a widget with no words.
      .catch(() => en);
    packs.set(language, pack);
  }
  return pack;
}

export type Params = Record<string, number>;

/** Formats copy for one locale: plural forms and numbers via Intl. */
export class Translator {
  private readonly _locale: string;
  private readonly _plurals: Intl.PluralRules;

  constructor(
    readonly messages: Messages,
    tag: string,
  ) {
    try {
      this._locale = Intl.getCanonicalLocales(tag)[0]!;
    } catch {
      // A malformed lang attribute must not break the widget.
      this._locale = "en";
    }
    this._plurals = new Intl.PluralRules(this._locale);
  }

  /**
   * Fill `{name}` placeholders with locale-formatted numbers, and pick the singular or plural of
   * each `[singular|plural]` by the number in `pluralOf`.
   */
  format(template: string, params: Params = {}, pluralOf?: string): string {
    const one = pluralOf !== undefined && this._plurals.select(params[pluralOf]!) === "one";
    return template
      .replace(/\[([^|\]]*)\|([^\]]*)\]/g, (_, singular: string, plural: string) => (one ? singular : plural))
      .replace(/\{(\w+)\}/g, (whole, name: string) =>
        params[name] === undefined ? whole : params[name].toLocaleString(this._locale, { maximumFractionDigits: 1 }),
      );
  }
}

/** Lays out the widget, hidden, while another language pack loads, so nothing shifts after. */
export const ENGLISH = new Translator(en, "en");
