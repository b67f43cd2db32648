/**
 * Helpers for the SMS integration tests: the send route called as Next calls
 * it, the money of a workspace read straight from SQL, and prices computed
 * from the `prices` table with integer arithmetic of their own (so a test never
 * checks lib/billing/money with itself).
 */
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import * as sendRoute from "@/app/api/v1/sms/send/route";
import * as schema from "@/db/schema";
import { ledgerEntries, workspaces } from "@/db/schema";
import type { Db, DbOrTx } from "@/db/client";
import type { ApiRuntime } from "@/lib/api/runtime";
import { createJobs, installJobs, type Jobs } from "@/lib/runtime/jobs";
import { callApi, makeKey, randomAddress, startRuntime } from "./api";
import { createTestDatabase, type TestDatabase } from "./db";

export type SmsEnv = { t: TestDatabase; runtime: ApiRuntime; jobs: Jobs };

/**
 * A fresh database with the API runtime and the job queue installed for the
 * route handlers, and no workers: tests run the job handlers themselves.
 */
export async function setupSms(): Promise<SmsEnv> {
  const t = await createTestDatabase();
  const runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  const jobs = await createJobs(t.database, { workers: false });
  installJobs(jobs);
  return { t, runtime, jobs };
}

export async function teardownSms(env: Partial<SmsEnv>): Promise<void> {
  await env.jobs?.stop();
  await env.runtime?.close();
  await env.t?.close();
}

/** The test database through a Drizzle instance that records every statement it sends (BEGIN/COMMIT aside). */
export function recordingDb(t: TestDatabase): { db: Db; statements: { query: string; params: unknown[] }[] } {
  const statements: { query: string; params: unknown[] }[] = [];
  const logger = { logQuery: (query: string, params: unknown[]) => void statements.push({ query, params }) };
  const client = (t.db as unknown as { $client: never }).$client;
  const db = (t.driver === "pglite"
    ? drizzlePglite({ client, schema, logger })
    : drizzlePostgres({ client, schema, logger })) as unknown as Db;
  return { db, statements };
}

/** Rows of a raw query, on either driver. */
export async function rows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export type SendCall = { key: string; body: unknown; idempotencyKey?: string; address?: string };

/** POST /api/v1/sms/send through the route handler, from a fresh client address. */
export function send({ key, body, idempotencyKey, address }: SendCall) {
  return callApi(sendRoute.POST, {
    method: "POST",
    path: "/api/v1/sms/send",
    key,
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey },
    address: address ?? randomAddress(),
  });
}

// ── Exact decimals, independent of lib/billing/money: integers of 1e-5 ──
const SCALE = 5;
const ONE = 10n ** BigInt(SCALE);

export function dec(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > SCALE && /[1-9]/.test(fraction.slice(SCALE))) throw new Error(`too precise: ${text}`);
  const units = BigInt(whole) * ONE + BigInt(fraction.slice(0, SCALE).padEnd(SCALE, "0"));
  return sign ? -units : units;
}

/** 3850n → "0.0385" (no trailing zeros), comparable with a JSON number's String(). */
export function decText(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const fraction = (abs % ONE).toString().padStart(SCALE, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / ONE}${fraction ? `.${fraction}` : ""}`;
}

/** A JSON money number as exact units (JSON numbers of 5 decimals print exactly). */
export const numUnits = (value: number): bigint => dec(String(value));

/** The rate of one segment to each country: the highest rate among its networks. */
export async function countryRates(db: DbOrTx): Promise<Map<string, bigint>> {
  const list = await rows<{ country: string; rate: string }>(db, sql`select country, max(rate)::text as rate from prices group by country`);
  return new Map(list.map((r) => [r.country, dec(r.rate)]));
}

/** Balance and Σ ledger of a workspace, both as Postgres prints them, plus counts. */
export async function money(db: DbOrTx, workspaceId: number) {
  const [row] = await rows<{ balance: string; ledger: string; usage_rows: number; ledger_rows: number; messages: number }>(
    db,
    sql`select
      (select balance::text from ${workspaces} where id = ${workspaceId}) as balance,
      (select coalesce(sum(amount), 0)::numeric(16, 5)::text from ${ledgerEntries} where workspace_id = ${workspaceId}) as ledger,
      (select count(*)::int from ${ledgerEntries} where workspace_id = ${workspaceId} and type = 'usage') as usage_rows,
      (select count(*)::int from ${ledgerEntries} where workspace_id = ${workspaceId}) as ledger_rows,
      (select count(*)::int from messages where workspace_id = ${workspaceId}) as messages`,
  );
  return row;
}

/** Jobs waiting (or done) in one pg-boss queue. */
export async function jobCount(db: DbOrTx, queue: string): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from pgboss.job where name = ${queue}`);
  return row.n;
}

/**
 * A fresh workspace of the seeded organization with `balance` backed by one
 * deposit (so balance = Σ ledger), a generous rate limit, and a live and a
 * test key with every permission.
 */
export async function makeWorkspace(t: TestDatabase, name: string, balance: string, options: { rateLimitPerSecond?: number } = {}) {
  const [ws] = await t.db
    .insert(workspaces)
    .values({ organizationId: t.seed.organizationId, name, balance, rateLimitPerSecond: options.rateLimitPerSecond ?? 100_000 })
    .returning({ id: workspaces.id });
  if (dec(balance) !== 0n) {
    await t.db
      .insert(ledgerEntries)
      .values({ workspaceId: ws.id, amount: balance, currency: "EUR", type: "deposit", description: "Test deposit", source: "portal" });
  }
  const live = (await makeKey(t, { mode: "live" }, ws.id)).secret;
  const test = (await makeKey(t, { mode: "test" }, ws.id)).secret;
  return { id: ws.id, live, test };
}

/** Numbers that libphonenumber places in the country the test needs (+447911… is Guernsey, not GB). */
export const NUMBERS = {
  GB: "+447400123456",
  US: "+14155551234",
  FR: "+33612345678",
  DE: "+4915112345678",
  /** China: a valid number of a country with no price in the seed. */
  noPrice: "+8613800138000",
  /** +800 (international freephone): a possible number with no country at all. */
  noCountry: "+80012345678",
} as const;

/** The i-th of a family of distinct GB numbers (i < 1,000,000). */
export const gbNumber = (i: number): string => `+447400${String(i).padStart(6, "0")}`;

export const MESSAGE_ID = (workspaceId: number) => new RegExp(`^api_${workspaceId}_\\d+_[0-9a-f]{16}$`);

/** Poll `read` until `done` holds (bounded; no fixed sleeps in the tests themselves). */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, everyMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
