// Shared by the benchmark's in-process scripts (run with tsx by scripts/bench.mjs).
import { writeFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { openDatabase, type Database, type Db } from "@/db/client";

/**
 * The benchmark's database: BENCH_DATABASE_URL (a fresh Postgres database made by
 * scripts/bench.mjs) or BENCH_PGLITE_DIR. Opened only while no server runs on it:
 * PGlite is one process only.
 */
export async function openBenchDatabase(): Promise<Database> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url) return openDatabase({ url, max: 4 });
  const dataDir = process.env.BENCH_PGLITE_DIR;
  if (!dataDir) throw new Error("BENCH_DATABASE_URL or BENCH_PGLITE_DIR must be set (scripts/bench.mjs sets them)");
  return openDatabase({ dataDir });
}

export async function databaseVersion(db: Db): Promise<string> {
  const rows = (await db.execute(sql`select version() as version`)) as unknown as { version: string }[] | { rows: { version: string }[] };
  const row = Array.isArray(rows) ? rows[0] : rows.rows[0];
  return row.version;
}

/** Rows of a raw query, whatever the driver (postgres.js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The script's result, for scripts/bench.mjs (BENCH_OUT). */
export function writeResult(value: unknown): void {
  const out = process.env.BENCH_OUT;
  if (!out) throw new Error("BENCH_OUT must be set");
  // May hold secrets of the throwaway bench database: readable by this user only.
  writeFileSync(out, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
}

/** Timer for one call, in milliseconds. */
export function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
