import { LitElement, type PropertyDeclarations, type PropertyValues } from "lit";
import { defaultArticle, defaultLang, normaliseApi, scriptOrigin } from "./context";
import { languageOf, loadMessages, Translator, type Messages } from "./i18n";

/**
 * What every Plaudit element shares: the `article`, `api` and `lang` attributes with their
 * defaults, its language pack, and a (re)load whenever the article or API changes.
 */
export abstract class PlauditElement<M extends Messages> extends LitElement {
  static override properties: PropertyDeclarations = {
    article: {},
    api: {},
    lang: {},
    _t: { state: true },
  };

  /** Article id; defaults to the canonical URL's path, else this page's path. */
  declare article: string;
  /** Base URL of the Plaudit Worker; defaults to where the script came from. */
  declare api: string;
  /** Null until the language pack has arrived (English never waits). */
  declare protected _t: Translator<M> | null;

  constructor(
    /** Which language packs to use: /locales/{pack}/{language}.json. */
    private readonly _pack: string,
    /** Built-in English, also used (hidden) to lay the element out while a pack loads. */
    protected readonly _english: Translator<M>,
  ) {
    super();
    this._t = null;
  }

  protected get _target() {
    return { api: normaliseApi(this.api), article: this.article || defaultArticle() };
  }

  /** The current language's copy, or English while it loads. */
  protected get _copy(): Translator<M> {
    return this._t ?? this._english;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has("lang")) void this._localize(this.lang || defaultLang(this));
    if (!this.hasUpdated || changed.has("article") || changed.has("api")) void this._load();
  }

  private async _localize(tag: string): Promise<void> {
    const messages = await loadMessages(this._pack, languageOf(tag), scriptOrigin, this._english.messages);
    if (tag === (this.lang || defaultLang(this))) this._t = new Translator(messages, tag);
  }

  /** Fetch what the element shows for the current `_target`. */
  protected abstract _load(): Promise<void>;
}
