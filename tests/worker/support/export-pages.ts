import { expect } from "vitest";
import { ProductionKv } from "../../support/production-kv";
import { admin } from "./api";

/** A KV of its own, empty, with production's limits; list() current at once unless told otherwise. */
export function emptyProductionKv(clock: () => number = () => Date.now()): ProductionKv {
  return new ProductionKv({ clock, plan: "paid", listLagMs: 0, readCacheMs: 0 });
}

export interface ExportedPage {
  records: Record<string, unknown>[];
  cursor: string | null;
  /** KV operations the request made. */
  ops: number;
}

/** One GET /admin/export, as one invocation of `kv`. */
export async function exportPage(kv: ProductionKv, query = ""): Promise<ExportedPage> {
  const invocation = kv.invocation({ label: "GET /admin/export" });
  const response = await admin("GET", `/export${query}`, { env: { PLAUDIT: invocation.kv } });
  expect(response.status).toBe(200);
  const lines = (await response.text()).split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  invocation.end();
  const last = lines.at(-1);
  const cursor = last?.type === "continue" ? String(last.cursor) : null;
  return { records: cursor ? lines.slice(0, -1) : lines, cursor, ops: invocation.ops };
}

/** Every page of an export, following the cursor as `npm run export` does. */
export async function exportEverything(kv: ProductionKv, limit?: number): Promise<{ records: Record<string, unknown>[]; pages: ExportedPage[] }> {
  const pages: ExportedPage[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams();
    if (cursor) params.set("cursor", cursor);
    if (limit) params.set("limit", String(limit));
    const page: ExportedPage = await exportPage(kv, params.size ? `?${params}` : "");
    pages.push(page);
    cursor = page.cursor;
  } while (cursor);
  return { records: pages.flatMap((page) => page.records), pages };
}

/** The records without the header line, whose time differs between exports. */
export const withoutHeader = (records: Record<string, unknown>[]) => records.filter((record) => record.type !== "export");
