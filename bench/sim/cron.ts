/**
 * When a wrangler.toml cron fires: a 5-field matcher (minute hour day-of-month month day-of-week,
 * UTC) for the forms Workers crons use here: `*`, `*\/n`, `a-b`, `a-b/n`, numbers and lists.
 */
const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12 },
  { min: 0, max: 6 },
] as const;

function parseField(text: string, { min, max }: { min: number; max: number }): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    let [from, to] = range === "*" ? [min, max] : range.split("-").map(Number) as [number, number | undefined];
    if (to === undefined) to = stepText === undefined ? from : max;
    if (![from, to, step].every(Number.isInteger) || step < 1 || from < min || to > max) throw new Error(`Unsupported cron field "${text}"`);
    for (let value = from; value <= to; value += step) values.add(value === 7 && max === 6 ? 0 : value);
  }
  return values;
}

export interface CronSchedule {
  expression: string;
  matches(ms: number): boolean;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`Expected 5 cron fields in "${expression}"`);
  const [minutes, hours, days, months, weekdays] = parts.map((part, i) => parseField(part, FIELDS[i]!));
  const anyDay = parts[2] === "*";
  const anyWeekday = parts[4] === "*";
  return {
    expression,
    matches(ms: number) {
      const date = new Date(ms);
      if (!minutes!.has(date.getUTCMinutes()) || !hours!.has(date.getUTCHours()) || !months!.has(date.getUTCMonth() + 1)) return false;
      // As in standard cron: when both day fields are restricted, either may match.
      const dayOk = days!.has(date.getUTCDate());
      const weekdayOk = weekdays!.has(date.getUTCDay());
      if (anyDay && anyWeekday) return true;
      if (anyDay) return weekdayOk;
      if (anyWeekday) return dayOk;
      return dayOk || weekdayOk;
    },
  };
}

/** Every [time, expression] a list of crons fires in [from, to), minute by minute. */
export function cronFirings(expressions: string[], from: number, to: number): { at: number; cron: string }[] {
  const schedules = expressions.map(parseCron);
  const firings: { at: number; cron: string }[] = [];
  const start = Math.ceil(from / 60_000) * 60_000;
  for (let at = start; at < to; at += 60_000) {
    for (const schedule of schedules) if (schedule.matches(at)) firings.push({ at, cron: schedule.expression });
  }
  return firings;
}
