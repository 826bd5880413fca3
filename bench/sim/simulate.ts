/** Run one profile end to end and measure it. */
import { JOB_KEY, type SweepJob } from "../../worker/cron/job";
import { addCounts, zeroCounts } from "../../tests/support/kv-model/stats";
import { FREE_DAILY_QUOTA, subtractCounts, type KvCounts, type KvStats, type Plan } from "../../tests/support/production-kv";
import type { WorkerConfig } from "./config";
import { cronFirings } from "./cron";
import { Engine, type SimEvent } from "./engine";
import { maxValue, summary } from "./metrics";
import { buildProfile, type ProfileName } from "./profiles";

const DAY = 24 * 3_600_000;

const SETTLE_MS = 15 * 60_000;

export interface SimulationOptions {
  fast: boolean;
  plan: Plan;
  slotMs: number;
}

export interface ProfileResult {
  profile: ProfileName;
  fast: boolean;
  plan: Plan;
  wallSeconds: { seed: number; day: number; check: number; total: number };
  simulatedHours: number;
  traffic: Record<string, number>;
  /** Billed operations in the measured window, and scaled to a day (the same for a full day). */
  window: KvCounts;
  perDay: KvCounts;
  percentOfFreeQuota: KvCounts;
  /** Demand the Free plan refused (per day, scaled like perDay). */
  refusedByQuotaPerDay: KvCounts;
  dollarsPerMonth: { gross: number; afterIncluded: number };
  maxOpsPerInvocation: { ops: number; label: string | null };
  invocationsOver1000: number;
  opsHistogram: Record<string, number>;
  opsByLabel: KvStats["invocations"]["byLabel"];
  billedByLabel: Record<string, KvCounts>;
  serverErrors: Record<string, number>;
  statuses: Record<string, number>;
  votesLost: number;
  votesPhantom: number;
  commentsLost: number;
  commentsPhantom: number;
  staleSeconds: { n: number; p50: number | null; p99: number | null; max: number | null; neverSeen: number };
  cpuMs: Record<string, { n: number; p50: number | null; p99: number | null; max: number | null }>;
  writeRateRefusals: number;
  writeRateRefusalsByFamily: Record<string, number>;
  /** Requests to the write coordinator (Durable Objects), per day scaled like perDay; the Free plan allows 100,000. */
  durableObjectRequestsPerDay: number;
  largestValueBytes: number;
  maxPageViewBytes: number;
  /** A sweep that spans several cron runs (a big site's): when the day's finished, in hours after the window's start (null: none did). */
  sweep: { finishedAfterHours: number | null; queued: number };
  viral?: { wrongCountSecondsAfterBurst: number | null; staleSeconds: ProfileResult["staleSeconds"] };
  abuse?: { hostileRequests: number; hostileWrites: number; hostileWritesPercentOfFreeQuota: number; maxVotersPerIp: number; maxVotersPerNetwork: number };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const scale = (counts: KvCounts, factor: number): KvCounts => ({
  reads: Math.round(counts.reads * factor),
  writes: Math.round(counts.writes * factor),
  deletes: Math.round(counts.deletes * factor),
  lists: Math.round(counts.lists * factor),
});

/** Workers KV on the Paid plan: reads $0.50/M, writes, deletes and lists $5/M; 10M / 1M each included a month. */
function dollars(perDay: KvCounts): { gross: number; afterIncluded: number } {
  const month = scale(perDay, 30);
  const cost = (n: number, included: number, price: number) => (Math.max(0, n - included) / 1e6) * price;
  return {
    gross: round(cost(month.reads, 0, 0.5) + cost(month.writes + month.deletes + month.lists, 0, 5)),
    afterIncluded: round(cost(month.reads, 10e6, 0.5) + cost(month.writes, 1e6, 5) + cost(month.deletes, 1e6, 5) + cost(month.lists, 1e6, 5)),
  };
}

export async function simulateProfile(name: ProfileName, config: WorkerConfig, options: SimulationOptions): Promise<ProfileResult> {
  const plan = buildProfile(name, options.fast);
  const engine = new Engine(config, { start: plan.start, plan: options.plan, slotMs: options.slotMs });
  const t0 = performance.now();
  const seeded = await plan.seed(engine.kv);
  for (const comment of seeded.comments) engine.record.comments.set(comment.id, { ...comment });
  for (const [article, histogram] of seeded.histograms) engine.record.article(article).seeded = [...histogram];
  const t1 = performance.now();

  const crons = (from: number, to: number): SimEvent[] =>
    cronFirings(config.crons, from, to).map(({ at, cron }) => ({ at, client: { ip: "0.0.0.0", location: "cron" }, action: { kind: "cron", cron } }));
  const dayEvents = [...plan.events, ...crons(plan.start, plan.end)].sort((x, y) => x.at - y.at);
  const before = engine.kv.stats();
  const objectRequestsBefore = engine.durableObjectRequests;
  await engine.run(dayEvents);
  const objectRequests = engine.durableObjectRequests - objectRequestsBefore;
  engine.clock.advanceTo(plan.end);
  const after = engine.kv.stats();
  const dayByLabel = new Map([...engine.billedByLabel].map(([label, counts]) => [label, { ...counts }]));
  const episode = { ...engine.billedEpisode };
  const t2 = performance.now();

  await engine.run(crons(plan.end, plan.end + SETTLE_MS));
  engine.clock.advanceTo(plan.end + SETTLE_MS);
  const lost = await verify(engine, [...new Set([...plan.articles, ...engine.record.articles.keys(), ...[...engine.record.comments.values()].map((c) => c.article)])]);
  const sweep = await sweepProgress(engine, plan.start);
  const t3 = performance.now();

  const window = subtractCounts(after.total, before.total);
  const factor = DAY / (plan.end - plan.start);
  // A shorter window is scaled up to a day, except crons that fire once a day: they count once.
  const daily = config.crons.filter((cron) => cronFirings([cron], plan.start - (plan.start % DAY), plan.start - (plan.start % DAY) + DAY).length <= 1);
  const once = daily.reduce((sum, cron) => addCounts(sum, dayByLabel.get(`cron ${cron}`) ?? zeroCounts()), addCounts(zeroCounts(), episode));
  const perDay = addCounts(scale(subtractCounts(window, once), factor), once);
  const refused = scale(subtractCounts(after.refused.quota, before.refused.quota), factor);
  const percent = (kind: keyof KvCounts) => round((100 * (perDay[kind] + refused[kind])) / FREE_DAILY_QUOTA[kind], 1);
  const { record } = engine;
  return {
    profile: name,
    fast: options.fast,
    plan: options.plan,
    wallSeconds: { seed: round((t1 - t0) / 1000, 1), day: round((t2 - t1) / 1000, 1), check: round((t3 - t2) / 1000, 1), total: round((t3 - t0) / 1000, 1) },
    simulatedHours: (plan.end - plan.start) / 3_600_000,
    traffic: plan.traffic,
    window,
    perDay,
    percentOfFreeQuota: { reads: percent("reads"), writes: percent("writes"), deletes: percent("deletes"), lists: percent("lists") },
    refusedByQuotaPerDay: refused,
    dollarsPerMonth: dollars({ reads: perDay.reads + refused.reads, writes: perDay.writes + refused.writes, deletes: perDay.deletes + refused.deletes, lists: perDay.lists + refused.lists }),
    maxOpsPerInvocation: { ops: after.invocations.maxOps, label: after.invocations.maxOpsLabel },
    invocationsOver1000: after.invocations.overLimit,
    opsHistogram: after.invocations.histogram,
    opsByLabel: after.invocations.byLabel,
    billedByLabel: Object.fromEntries(dayByLabel),
    serverErrors: Object.fromEntries(record.serverErrors),
    statuses: Object.fromEntries(record.statuses),
    ...lost,
    staleSeconds: record.staleness(),
    cpuMs: Object.fromEntries([...record.cpuMs].map(([kind, samples]) => [kind, summary(samples.map((ms) => round(ms, 3)))])),
    writeRateRefusals: after.refused.writeRate - before.refused.writeRate,
    writeRateRefusalsByFamily: after.refused.writeRateByFamily,
    durableObjectRequestsPerDay: Math.round(objectRequests * factor),
    largestValueBytes: after.largestValue.bytes,
    maxPageViewBytes: record.maxPageViewBytes,
    sweep,
    ...(plan.viral ? { viral: { wrongCountSecondsAfterBurst: record.wrongCountUntil(plan.viral.article, plan.viral.burstEnd), staleSeconds: record.staleness(plan.viral.article) } } : {}),
    ...(plan.hostile
      ? {
          abuse: {
            hostileRequests: record.hostileRequests,
            hostileWrites: record.hostileWrites,
            // The attack happens once, whatever the window: never scaled to a day.
            hostileWritesPercentOfFreeQuota: round((100 * record.hostileWrites) / FREE_DAILY_QUOTA.writes, 1),
            maxVotersPerIp: maxValue(record.votersPerIp),
            maxVotersPerNetwork: maxValue(record.votersPerNetwork),
          },
        }
      : {}),
  };
}

/** Where the periodic sweep got to, from the cron's own record of it (a small site's one-run sweeps leave none). */
async function sweepProgress(engine: Engine, start: number): Promise<ProfileResult["sweep"]> {
  const job = await engine.kv.invocation({ location: "cron", label: "verify" }).kv.get<SweepJob>(JOB_KEY, "json");
  const finished = job?.finishedAt !== undefined && job.finishedAt >= start ? job.finishedAt : null;
  return { finishedAfterHours: finished === null ? null : round((finished - start) / 3_600_000, 2), queued: job?.queue.length ?? 0 };
}

/**
 * After the day and 15 minutes of crons: every article's public rating (read at a location that
 * has cached nothing) against the accepted votes, and every approved comment against the public
 * thread pages.
 */
async function verify(engine: Engine, articles: string[]) {
  const { record } = engine;
  const approved = new Map<string, Set<string>>();
  for (const comment of record.comments.values()) {
    if (comment.status !== "approved") continue;
    let ids = approved.get(comment.article);
    if (!ids) approved.set(comment.article, (ids = new Set()));
    ids.add(comment.id);
  }
  const result = { votesLost: 0, votesPhantom: 0, commentsLost: 0, commentsPhantom: 0 };
  const path = (article: string, suffix = "") => `/articles/${encodeURIComponent(article)}${suffix}`;
  for (const article of articles) {
    const expected = record.expectedHistogram(article);
    const response = await engine.probe(path(article), "verify");
    if (process.env.SIM_DEBUG && response.status !== 200) console.error("probe", response.status, JSON.stringify(response.json));
    const actual: number[] = response.status === 200 ? response.json.rating.histogram : [0, 0, 0, 0, 0];
    if (process.env.SIM_DEBUG && expected.some((n, i) => n !== actual[i])) {
      const { publicId } = await import("../../worker/lib/hash");
      const inv = engine.kv.invocation({ location: "debug", label: "debug" });
      const h = [0, 0, 0, 0, 0];
      let cursor: string | undefined;
      let n = 0;
      do {
        const page = await inv.kv.list<{ r: number }>({ prefix: `vote:${await publicId(article)}:`, cursor });
        for (const k of page.keys) { h[(k.metadata?.r ?? 1) - 1]! += 1; n += 1; }
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      console.error("mismatch", article, expected, actual, "keys", h, n);
    }
    expected.forEach((n, i) => {
      result.votesLost += Math.max(0, n - actual[i]!);
      result.votesPhantom += Math.max(0, actual[i]! - n);
    });
    const shown = new Set<string>();
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await engine.probe(path(article, `/comments?limit=100${cursor ? `&cursor=${cursor}` : ""}`), "verify");
      if (page.status !== 200) break;
      const body = page.json as { comments: { id: string }[]; cursor: string | null };
      for (const comment of body.comments) shown.add(comment.id);
      cursor = body.cursor;
    }
    const want = approved.get(article) ?? new Set<string>();
    for (const id of want) if (!shown.has(id)) result.commentsLost += 1;
    for (const id of shown) if (!want.has(id)) result.commentsPhantom += 1;
  }
  return result;
}
