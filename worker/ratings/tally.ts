import { emptyHistogram, type Histogram } from "./model";
import type { RecentVoter, VoteMetadata } from "./keys";

/** The per-network voter cap counts first votes over this window, so shared addresses recover. */
export const VOTER_CAP_WINDOW_MS = 60 * 60 * 1000;
/** Recent voters kept on an aggregate: enough for the cap, small enough for every page view. */
export const MAX_RECENT_VOTERS = 64;

/** Votes counted so far: the histogram, plus who voted recently (for the cap). */
export interface Tally {
  histogram: Histogram;
  recent: RecentVoter[];
  /** When the newest vote counted was cast or changed, epoch ms (0 for none). */
  latest: number;
}

export function emptyTally(): Tally {
  return { histogram: emptyHistogram(), recent: [], latest: 0 };
}

export function isValidRating(rating: unknown): rating is number {
  return typeof rating === "number" && Number.isInteger(rating) && rating >= 1 && rating <= 5;
}

/** Add one vote key's metadata to a tally. */
export function addVote(tally: Tally, vote: VoteMetadata | undefined, now: number): void {
  if (!vote || !isValidRating(vote.r)) return;
  tally.histogram[vote.r - 1]! += 1;
  tally.latest = Math.max(tally.latest, vote.t);
  if (vote.c && vote.t > now - VOTER_CAP_WINDOW_MS) tally.recent.push([vote.c, vote.t]);
}

/** Recent voters, oldest first, without the ones that fell out of the window or the ring. */
export function trimRecent(recent: readonly RecentVoter[], now: number): RecentVoter[] {
  return recent
    .filter(([, at]) => at > now - VOTER_CAP_WINDOW_MS)
    .sort((x, y) => x[1] - y[1])
    .slice(-MAX_RECENT_VOTERS);
}

/** How many different voters from this client network voted within the window. */
export function recentVotersFrom(recent: readonly RecentVoter[] | undefined, client: string, now: number): number {
  return (recent ?? []).filter(([tag, at]) => tag === client && at > now - VOTER_CAP_WINDOW_MS).length;
}

export const sameHistogram = (x: Histogram, y: Histogram) => x.every((n, i) => n === y[i]);
