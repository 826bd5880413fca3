import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import en from "../../widget/locales/rating/en.json";
import comments from "../../widget/locales/comments/en.json";
import count from "../../widget/locales/count/en.json";
import { relativeTime } from "../../widget/comments/thread";
import { LANGUAGES, languageOf, loadMessages, Translator, type Messages } from "../../widget/shared/i18n";

const ELEMENTS = ["rating", "comments", "count", "details"];
const localesDir = (element: string) => new URL(`../../widget/locales/${element}/`, import.meta.url);
const pack = (language: string, element = "rating"): Messages => JSON.parse(readFileSync(new URL(`${language}.json`, localesDir(element)), "utf8"));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("language packs", () => {
  it.each(ELEMENTS)("%s: exist for every supported language, and only those", (element) => {
    const files = readdirSync(localesDir(element)).map((name) => name.replace(/\.json$/, "")).sort();
    expect(files).toEqual([...LANGUAGES].sort());
    expect(LANGUAGES).toEqual(expect.arrayContaining(["en", "es", "fr", "de", "pt", "it"]));
  });

  it.each(ELEMENTS.flatMap((element) => LANGUAGES.map((language) => [element, language])))(
    "%s/%s has every message, with the same placeholders and plural pairs as English",
    (element, language) => {
      const english = pack("en", element);
      const messages = pack(language!, element);
      expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
      for (const [key, source] of Object.entries(english)) {
        const text = messages[key]!;
        expect(text.trim(), `${language}.${key}`).not.toBe("");
        expect(placeholders(text), `${language}.${key}`).toEqual(placeholders(source));
        expect(text.includes("|"), `${language}.${key} plural`).toBe(source.includes("|"));
      }
    },
  );
});

describe("languageOf", () => {
  it.each([
    ["en-US", "en"],
    ["pt-BR", "pt"],
    ["de_CH", "de"],
    ["FR", "fr"],
    ["ja", "en"],
    ["", "en"],
    ["!!", "en"],
  ])("%j → %s", (tag, language) => expect(languageOf(tag)).toBe(language));
});

describe("Translator", () => {
  const english = new Translator(en, "en");

  it("fills the legend the way readers see it", () => {
    expect(english.format(en.legend, { count: 12, average: 4.33 }, "count")).toBe("(Votes: 12 Average: 4.3)");
    expect(english.format(en.legend, { count: 0, average: 0 }, "count")).toBe("(Votes: 0 Average: 0)");
  });

  it("chooses singular and plural with Intl.PluralRules", () => {
    expect(english.format(en.star, { n: 1 }, "n")).toBe("1 star");
    expect(english.format(en.star, { n: 2 }, "n")).toBe("2 stars");
    expect(english.format(en.summary, { average: 5, best: 5, count: 1 }, "count")).toBe("Rated 5 out of 5 by 1 reader");
    expect(english.format(en.summary, { average: 4.3, best: 5, count: 12 }, "count")).toBe("Rated 4.3 out of 5 by 12 readers");
    // French counts zero as singular; English does not.
    const french = new Translator(pack("fr"), "fr");
    expect(french.format(pack("fr").summary!, { average: 0, best: 5, count: 0 }, "count")).toBe("Noté 0 sur 5 par 0 lecteur");
    expect(english.format(en.summary, { average: 0, best: 5, count: 0 }, "count")).toContain("0 readers");
  });

  it("formats numbers for the locale", () => {
    const german = new Translator(pack("de"), "de-DE");
    expect(german.format(pack("de").legend!, { count: 12345, average: 4.25 }, "count")).toBe("(Stimmen: 12.345 Durchschnitt: 4,3)");
    expect(new Translator(pack("fr"), "fr").format("{average}", { average: 3.5 })).toBe("3,5");
    expect(english.format("{count}", { count: 1234567 })).toBe("1,234,567");
  });

  it("inserts text parameters as they are", () => {
    expect(english.format("Reply to {author}", { author: "Ada <b>" })).toBe("Reply to Ada <b>");
  });

  it("leaves unknown placeholders visible, and survives a malformed lang tag", () => {
    expect(english.format("{count} {nope}", { count: 2 })).toBe("2 {nope}");
    expect(new Translator(en, "not a language!").format("{count}", { count: 1000 })).toBe("1,000");
  });
});

describe("a page in a language without a pack", () => {
  const now = Date.parse("2026-05-02T10:00:00Z");

  it.each(["zh-CN", "th", "ja", "ar-EG", "he"])("%s reads English, plurals, numbers and times included", (tag) => {
    const t = new Translator(en, tag);
    expect(t.locale).toBe("en");
    expect(t.format(en.star, { n: 1 }, "n")).toBe("1 star");
    expect(t.format(en.summary, { average: 4, best: 5, count: 1 }, "count")).toBe("Rated 4 out of 5 by 1 reader");
    expect(t.format(en.legend, { count: 12345, average: 4.25 }, "count")).toBe("(Votes: 12,345 Average: 4.3)");
    expect(t.format(count.votes, { count: 1 }, "count")).toBe("(1 vote)");
    expect(t.format(comments.heading, { count: 1 }, "count")).toBe("1 comment");
    expect(relativeTime("2012-05-02T10:00:00Z", t.locale, now)).toBe("14 years ago");
    expect(new Date(now).toLocaleDateString(t.locale, { timeZone: "UTC" })).toBe("5/2/2026");
  });

  it("keeps its region where the pack's language matches: en-GB dates, pt-BR, de_CH", () => {
    expect(new Translator(en, "en-GB").locale).toBe("en-GB");
    expect(new Date(now).toLocaleDateString(new Translator(en, "en-GB").locale, { timeZone: "UTC" })).toBe("02/05/2026");
    expect(new Translator(pack("pt"), "pt-BR").locale).toBe("pt-BR");
    expect(new Translator(pack("de"), "de-CH").locale).toBe("de-CH");
    // Not a valid tag (underscore), but the German pack is what it gets: German numbers with it.
    expect(new Translator(pack("de"), "de_CH").format("{n}", { n: 4.25 })).toBe("4,3");
    expect(new Translator(en, "EN").locale).toBe("en");
  });
});

describe("loadMessages", () => {
  afterEach(() => vi.restoreAllMocks());

  it("never fetches English, fetches another pack once, and falls back to English offline", async () => {
    const fetch = vi.spyOn(globalThis, "fetch");
    expect(await loadMessages("rating", "en", "https://w.example", en)).toEqual(en);
    expect(fetch).not.toHaveBeenCalled();

    fetch.mockResolvedValue(Response.json(pack("es")));
    const first = await loadMessages("rating", "es", "https://w.example", en);
    await loadMessages("rating", "es", "https://w.example", en);
    expect(first.prompt).toBe("¡Haz clic para valorar esta entrada!");
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith("https://w.example/locales/rating/es.json");

    fetch.mockRejectedValue(new TypeError("Failed to fetch"));
    expect(await loadMessages("rating", "it", "https://w.example", en)).toEqual(en);
  });
});
