import type { ProfileResult } from "./simulate";

const pct = (n: number) => `${n}%`;
const seconds = (n: number | null) => (n === null ? "-" : `${Math.round(n)}s`);

/** One line per profile, the columns the issue asks for. */
export function tableRows(results: ProfileResult[]): Record<string, string | number>[] {
  return results.map((r) => ({
    profile: r.fast ? `${r.profile} (fast)` : r.profile,
    "wall s": r.wallSeconds.total,
    "reads/day": `${r.perDay.reads} (${pct(r.percentOfFreeQuota.reads)})`,
    "writes/day": `${r.perDay.writes} (${pct(r.percentOfFreeQuota.writes)})`,
    "deletes/day": `${r.perDay.deletes} (${pct(r.percentOfFreeQuota.deletes)})`,
    "lists/day": `${r.perDay.lists} (${pct(r.percentOfFreeQuota.lists)})`,
    "$/month gross|net": `${r.dollarsPerMonth.gross}|${r.dollarsPerMonth.afterIncluded}`,
    "max ops/inv": `${r.maxOpsPerInvocation.ops} ${r.maxOpsPerInvocation.label ?? ""}`.trim(),
    ">1000 ops": r.invocationsOver1000,
    "5xx": Object.entries(r.serverErrors).map(([code, n]) => `${n}×${code}`).join(", ") || 0,
    "votes lost": r.votesLost,
    "comments lost": r.commentsLost,
    "stale p50/p99/max": `${seconds(r.staleSeconds.p50)}/${seconds(r.staleSeconds.p99)}/${seconds(r.staleSeconds.max)}`,
    "viral stale p99 | wrong after": r.viral ? `${seconds(r.viral.staleSeconds.p99)} | ${seconds(r.viral.wrongCountSecondsAfterBurst)}` : "-",
    "429 key/s": r.writeRateRefusals,
    "DO req/day": r.durableObjectRequestsPerDay,
    "quota refused/day": r.refusedByQuotaPerDay.reads + r.refusedByQuotaPerDay.writes + r.refusedByQuotaPerDay.deletes + r.refusedByQuotaPerDay.lists,
    "hostile writes": r.abuse ? pct(r.abuse.hostileWritesPercentOfFreeQuota) : "-",
    "sweep done after": r.sweep.finishedAfterHours === null ? "-" : `${r.sweep.finishedAfterHours} h`,
  }));
}

export function cpuRows(results: ProfileResult[]): Record<string, string | number>[] {
  return results.flatMap((r) =>
    Object.entries(r.cpuMs).map(([kind, s]) => ({ profile: r.profile, kind, n: s.n, "p50 ms": s.p50 ?? "-", "p99 ms": s.p99 ?? "-" })),
  );
}
