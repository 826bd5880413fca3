/**
 * Named traffic profiles: what is seeded, and the day's events. Deterministic (seeded PRNG).
 * `fast` variants cover a 3-hour window holding the profile's episode (burst, attack) and the daily
 * cron, with normal traffic at the day's average hourly rate; per-day figures count the episode and
 * once-a-day crons once and scale the rest by 24 / 3.
 */
import type { ProductionKv } from "../../tests/support/production-kv";
import type { Client, SimEvent } from "./engine";
import { diurnalTime, Random, zipfWeights } from "./random";
import { seedArticle, type SeedComment, type SeedVote } from "./seed";
import { JOB_KEY, type SweepJob } from "../../worker/cron/job";

export const PROFILES = ["idle", "small-blog", "viral", "abuse", "big-site"] as const;
export type ProfileName = (typeof PROFILES)[number];

const HOUR = 3_600_000;
const MINUTE = 60_000;
export const DAY_START = Date.UTC(2026, 11, 1);
export const LOCATIONS = ["IAD", "ORD", "LHR", "FRA", "NRT", "SIN", "SYD", "GRU"] as const;

export interface ProfilePlan {
  name: ProfileName;
  fast: boolean;
  /** The measured window [start, end); crons keep running 15 minutes after it. */
  start: number;
  end: number;
  seed(kv: ProductionKv): Promise<Seeded>;
  events: SimEvent[];
  articles: string[];
  viral?: { article: string; burstStart: number; burstEnd: number };
  hostile?: { from: number; to: number };
  /** What the traffic amounts to, for the report. */
  traffic: Record<string, number>;
}

/** What the seed wrote, so the final check expects it too. */
export interface Seeded {
  comments: SeededComment[];
  /** Votes per star of each seeded article. */
  histograms: Map<string, number[]>;
}

export interface SeededComment {
  id: string;
  article: string;
  status: "approved" | "pending";
}

interface Window {
  start: number;
  end: number;
  fast: boolean;
}

/** Article ids, seeded history and the readers' population of a site. */
class Site {
  readonly random: Random;
  readonly articles: string[];
  readonly popularity: Float64Array;
  readonly readers: (Client & { voter: string })[];

  constructor(seed: number, articleCount: number, readerCount: number) {
    this.random = new Random(seed);
    this.articles = Array.from({ length: articleCount }, (_, i) => `post-${String(i + 1).padStart(5, "0")}`);
    this.popularity = zipfWeights(articleCount, 0.9);
    this.readers = Array.from({ length: readerCount }, (_, i) => ({
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      location: LOCATIONS[i % LOCATIONS.length]!,
      voter: `reader_${this.random.token(20)}`,
    }));
  }

  article(): string {
    return this.articles[this.random.zipf(this.articles.length, this.popularity)]!;
  }

  reader() {
    return this.random.pick(this.readers);
  }
}

function times(site: Site, window: Window, perDay: number): number[] {
  const count = Math.round((perDay * (window.end - window.start)) / (24 * HOUR));
  const span = window.end - window.start;
  return Array.from({ length: count }, () => (window.fast ? Math.floor(window.start + site.random.next() * span) : diurnalTime(site.random, window.start, span))).sort((x, y) => x - y);
}

/** Index pages show stars and comment counts for this many of the newest posts (`<plaudit-count>`). */
const INDEX_PAGE_ARTICLES = 10;

/**
 * A normal day's reader traffic: page views (and a fifth as many index-page views), votes (10 % are
 * changes), comments, moderation.
 */
function normalDay(site: Site, window: Window, scale: number, events: SimEvent[], traffic: Record<string, number>, { ownerTools = true } = {}): void {
  for (const at of times(site, window, 5000 * scale)) events.push({ at, client: site.reader(), action: { kind: "view", article: site.article() } });
  const newest = site.articles.slice(-INDEX_PAGE_ARTICLES);
  for (const at of times(site, window, 1000 * scale)) events.push({ at, client: site.reader(), action: { kind: "index", articles: newest } });
  const voted: { client: Client; article: string; voter: string }[] = [];
  for (const at of times(site, window, 150 * scale)) {
    const rating = 1 + site.random.int(5);
    if (voted.length > 0 && site.random.chance(0.1)) {
      const again = site.random.pick(voted);
      events.push({ at, client: again.client, action: { kind: "vote", article: again.article, voter: again.voter, rating } });
    } else {
      const reader = site.reader();
      const article = site.article();
      voted.push({ client: reader, article, voter: reader.voter });
      events.push({ at, client: reader, action: { kind: "vote", article, voter: reader.voter, rating } });
    }
  }
  let n = 0;
  for (const at of times(site, window, 30 * scale)) {
    n += 1;
    // Half give an email, from ten regulars: once one of theirs is approved, the next skips the queue.
    const email = n % 2 === 0 ? `regular${n % 20}@example.com` : undefined;
    events.push({ at, client: site.reader(), action: { kind: "comment", article: site.article(), author: `Reader ${n}`, body: `Comment ${n} (${site.random.token(8)}): a thought about the article, a sentence or two long.`, email } });
  }
  const moderator: Client = { ip: "198.51.100.10", location: "IAD" };
  for (const at of times(site, window, 30 * scale)) events.push({ at, client: moderator, action: { kind: "moderate", approve: site.random.chance(0.8) } });
  // The owner's voice and tools: a few replies and searches a day; a third of 1–2 star voters say
  // what could be better. Not in small-blog, which is the baseline the Free-plan target is set on.
  if (ownerTools) ownerDay(site, window, scale, events, moderator);
  const counted = (kind: string) => events.filter((e) => e.action.kind === kind).length;
  Object.assign(traffic, {
    pageViews: counted("view"),
    indexViews: counted("index"),
    votes: counted("vote"),
    comments: counted("comment"),
    moderation: counted("moderate"),
    ownerComments: counted("owner-comment"),
    searches: counted("search"),
    feedback: counted("feedback"),
  });
}

/** The owner's tools in a day: replies from /admin, queue searches, feedback after low votes. */
function ownerDay(site: Site, window: Window, scale: number, events: SimEvent[], moderator: Client): void {
  for (const at of times(site, window, 3 * scale)) events.push({ at, client: moderator, action: { kind: "owner-comment", article: site.article(), body: `Thanks for reading (${site.random.token(8)}).` } });
  for (const at of times(site, window, 3 * scale)) events.push({ at, client: moderator, action: { kind: "search", query: site.random.pick(["thought", "regular", "sentence"]) } });
  for (const { at, client, action } of events.filter((event) => event.action.kind === "vote" && event.action.rating <= 2)) {
    if (action.kind === "vote" && site.random.chance(0.3)) events.push({ at: at + 30_000, client, action: { kind: "feedback", article: action.article, voter: action.voter, body: "The second half lost me." } });
  }
}

/** `votes` and `comments` per article of a seeded site, spread by popularity. */
async function seedSite(kv: ProductionKv, site: Site, perArticle: (i: number) => { votes: number; comments: number }, { big = false } = {}): Promise<Seeded> {
  const random = new Random(7);
  const seeded: Seeded = { comments: [], histograms: new Map() };
  const at = DAY_START - 30 * 24 * HOUR;
  // Stand-ins for stored HMACs: unique, varying in their first characters, and cheap to make by the million.
  let voters = 0;
  const voterId = () => (voters++).toString(36).split("").reverse().join("").padEnd(22, "_");
  const ipIds = Array.from({ length: 5000 }, () => random.token(22));
  for (const [i, article] of site.articles.entries()) {
    const { votes, comments } = perArticle(i);
    const seedVotes: SeedVote[] = Array.from({ length: votes }, () => ({ voterId: voterId(), ipId: random.pick(ipIds), rating: 1 + random.int(5), at }));
    const seedComments: SeedComment[] = Array.from({ length: comments }, (_, c) => ({
      id: (at + c).toString(36).padStart(9, "0") + random.token(10).toLowerCase().replace(/[^0-9a-z]/g, "0"),
      author: `Old reader ${c}`,
      body: `Seeded comment ${c} on ${article}: long enough to look like a real one, about a sentence or two of text.`,
      at: at + c,
      status: "approved",
      ipId: random.token(22),
    }));
    await seedArticle(kv, { article, votes: seedVotes, comments: seedComments, settledAt: at });
    for (const comment of seedComments) seeded.comments.push({ id: comment.id, article, status: "approved" });
    const histogram = [0, 0, 0, 0, 0];
    for (const vote of seedVotes) histogram[vote.rating - 1]! += 1;
    seeded.histograms.set(article, histogram);
  }
  // A site this size has run for a while: its cron already knows to sweep once a day, not every few hours.
  if (big) kv.seed(JOB_KEY, JSON.stringify({ queue: [], startedAt: at, big: true, finishedAt: at } satisfies SweepJob));
  return seeded;
}

function spread(total: number, weights: Float64Array, i: number): number {
  const all = weights[weights.length - 1]!;
  const before = i === 0 ? 0 : weights[i - 1]!;
  return Math.round((total * weights[i]!) / all) - Math.round((total * before) / all);
}

function windowFor(fast: boolean, fastStartHour: number): Window {
  return fast ? { start: DAY_START + fastStartHour * HOUR, end: DAY_START + (fastStartHour + 3) * HOUR, fast } : { start: DAY_START, end: DAY_START + 24 * HOUR, fast };
}

export function buildProfile(name: ProfileName, fast: boolean): ProfilePlan {
  const events: SimEvent[] = [];
  const traffic: Record<string, number> = {};
  const history = () => ({ votes: 3, comments: 1 });
  switch (name) {
    case "idle": {
      const window = windowFor(fast, 2);
      const site = new Site(1, 200, 10);
      return { name, ...window, seed: (kv) => seedSite(kv, site, history), events, articles: site.articles, traffic };
    }
    case "small-blog": {
      const window = windowFor(fast, 2);
      const site = new Site(2, 200, 3000);
      normalDay(site, window, 1, events, traffic, { ownerTools: false });
      return { name, ...window, seed: (kv) => seedSite(kv, site, history), events: sorted(events), articles: site.articles, traffic };
    }
    case "viral": {
      const window = windowFor(fast, 13);
      const site = new Site(3, 200, 3000);
      normalDay(site, window, 1, events, traffic);
      const article = site.articles[41]!;
      const burstStart = DAY_START + 14 * HOUR;
      const burstEnd = burstStart + 10 * MINUTE;
      const random = new Random(33);
      const viewsPerSecond = fast ? 30 : 300;
      for (let i = 0; i < 20 * 600; i += 1) {
        const ip = `100.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`;
        const client = { ip, location: random.pick(LOCATIONS) };
        events.push({ at: burstStart + Math.floor(random.next() * 10 * MINUTE), client, action: { kind: "vote", article, voter: `viral_${random.token(20)}`, rating: 1 + random.int(5) }, episode: true });
      }
      for (let i = 0; i < viewsPerSecond * 600; i += 1) {
        events.push({ at: burstStart + Math.floor(random.next() * 10 * MINUTE), client: site.reader(), action: { kind: "view", article }, episode: true });
      }
      // Afterwards the story is still read now and then: how long until it shows the exact count?
      for (let at = burstEnd; at < burstEnd + 30 * MINUTE; at += 5000) events.push({ at, client: site.reader(), action: { kind: "view", article }, episode: true });
      Object.assign(traffic, { burstVotes: 12_000, burstPageViews: viewsPerSecond * 600 });
      return { name, ...window, seed: (kv) => seedSite(kv, site, history), events: sorted(events), articles: site.articles, traffic, viral: { article, burstStart, burstEnd } };
    }
    case "abuse": {
      const window = windowFor(fast, 8);
      const site = new Site(4, 200, 3000);
      normalDay(site, window, 1, events, traffic);
      const from = DAY_START + 9 * HOUR;
      const random = new Random(44);
      const hostile: Client = { ip: "203.0.113.66", location: "FRA", hostile: true };
      const [burst, every] = fast ? [20, 10_000] : [50, 5_000];
      let requests = 0;
      for (let at = from; at < from + HOUR; at += every) {
        // One IPv4 address for 30 minutes, then many addresses inside one IPv6 /64.
        const client = at < from + 30 * MINUTE ? hostile : { ...hostile, ip: `2001:db8:bad:1:${random.int(65536).toString(16)}:${random.int(65536).toString(16)}:0:1` };
        if (client !== hostile) client.comments = hostile.comments ??= [];
        for (let b = 0; b < burst; b += 1) {
          requests += 1;
          const roll = random.next();
          const action: SimEvent["action"] =
            roll < 0.35 ? { kind: "vote", article: `spam-${random.token(12)}`, voter: `bot_${random.token(20)}`, rating: 5 }
            : roll < 0.6 ? { kind: "vote", article: site.articles[0]!, voter: `bot_${random.token(20)}`, rating: 1 }
            : roll < 0.8 ? { kind: "comment", article: site.article(), author: "Bot", body: `Buy now ${random.token(16)} — the best offer you will see today.` }
            : roll < 0.9 ? { kind: "edit", body: `Edited ${random.token(16)} — still the best offer.` }
            : { kind: "delete-own" };
          events.push({ at, client, action, episode: true });
        }
      }
      Object.assign(traffic, { hostileRequests: requests });
      return { name, ...window, seed: (kv) => seedSite(kv, site, history), events: sorted(events), articles: site.articles, traffic, hostile: { from, to: from + HOUR } };
    }
    case "big-site": {
      const window = windowFor(fast, 2);
      const [articles, votes, comments] = fast ? [2_000, 200_000, 20_000] : [20_000, 2_000_000, 200_000];
      const site = new Site(5, articles, 30_000);
      normalDay(site, window, 10, events, traffic);
      const weights = zipfWeights(articles, 0.8);
      Object.assign(traffic, { seededArticles: articles, seededVotes: votes, seededComments: comments });
      return {
        name,
        ...window,
        seed: (kv) => seedSite(kv, site, (i) => ({ votes: spread(votes, weights, i), comments: spread(comments, weights, i) }), { big: true }),
        events: sorted(events),
        articles: site.articles,
        traffic,
      };
    }
  }
}

function sorted(events: SimEvent[]): SimEvent[] {
  return events.sort((x, y) => x.at - y.at);
}
