/**
 * (ours) Per-key limits on the send (docs/api-v1.md §7 "Spend and destination limits"):
 * a daily spend cap reserved atomically in the send's transaction — exact under
 * concurrency (the per-key-per-day row's lock), refused whole with 402
 * KEY_SPEND_LIMIT, released by a rollback and by a refund, counted per UTC day —
 * and allowed destination countries, outside which a recipient is blocked_country
 * like a country the workspace blocks.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { workspaces } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import { QUEUES } from "@/lib/queue/queue";
import { updateWebhookSettings } from "@/lib/webhooks/settings";
import type { Carrier } from "@/lib/sms/carrier";
import type { Jobs } from "@/lib/runtime/jobs";
import { contextFor } from "@/lib/workspaces/context";
import { updateKey } from "@/lib/keys/service";
import { makeKey } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import {
  countryRates,
  dec,
  decText,
  gbNumber,
  makeWorkspace,
  money,
  NUMBERS,
  numUnits,
  rows,
  send,
  setupSms,
  teardownSms,
} from "@/tests/sms";
import { housekeeping } from "@/lib/runtime/housekeeping";
import { handleSubmitJob } from "./lifecycle";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;
let gbRate: bigint;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
  gbRate = (await countryRates(t.db)).get("GB")!;
});

afterAll(() => teardownSms({ t, runtime, jobs }));

/** A live key of `workspaceId` with every permission and the given limits. */
async function cappedKey(
  workspaceId: number,
  limits: { dailySpendCap?: string | null; allowedCountries?: string[]; mode?: "live" | "test" },
) {
  return makeKey(
    t,
    {
      name: "limited",
      mode: limits.mode ?? "live",
      dailySpendCap: limits.dailySpendCap ?? null,
      allowedCountries: limits.allowedCountries ?? [],
    },
    workspaceId,
  );
}

async function spentToday(keyId: string): Promise<bigint> {
  const [row] = await rows<{ spent: string | null }>(
    t.db,
    sql`select (select spent::text from api_key_daily_spend where key_id = ${keyId} and day = (now() at time zone 'utc')::date) as spent`,
  );
  return row.spent === null ? 0n : dec(row.spent);
}

const one = (i: number) => ({ to: [gbNumber(i)], message: "One segment", sender_id: "Acme" });

it("accepts exactly 20 of 50 simultaneous sends when the key's daily cap covers 20, and bills exactly those", async () => {
  const ws = await makeWorkspace(t, "Cap race", "1000");
  const key = await cappedKey(ws.id, { dailySpendCap: decText(20n * gbRate) });
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => send({ key: key.secret, body: one(i) })));

  const ok = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status === 402);
  expect(ok).toHaveLength(20);
  expect(refused).toHaveLength(30);
  for (const r of refused) {
    expect(r.body).toMatchObject({ status: false, error_code: "KEY_SPEND_LIMIT", currency: "EUR" });
    expect(numUnits(r.body.daily_spend_cap)).toBe(20n * gbRate);
    expect(numUnits(r.body.spent_today)).toBeLessThanOrEqual(20n * gbRate);
    expect(numUnits(r.body.estimated_cost)).toBe(gbRate);
    expect(r.body.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  expect(await spentToday(key.key.id)).toBe(20n * gbRate);
  const m = await money(t.db, ws.id);
  expect(dec(m.balance)).toBe(dec("1000") - 20n * gbRate);
  expect(m.balance).toBe(m.ledger);
  expect(m.messages).toBe(20);
});

it("refuses a send over the cap whole — nothing stored, billed or reserved — and says today's spend and the cap", async () => {
  const ws = await makeWorkspace(t, "Cap whole", "1000");
  const key = await cappedKey(ws.id, { dailySpendCap: decText(3n * gbRate) });
  expect((await send({ key: key.secret, body: one(1) })).status).toBe(200);
  // Three more recipients: two would fit, so the send is refused as a whole.
  const res = await send({ key: key.secret, body: { to: [gbNumber(2), gbNumber(3), gbNumber(4)], message: "Hi", sender_id: "Acme" } });
  expect(res.status).toBe(402);
  expect(res.body).toMatchObject({ error_code: "KEY_SPEND_LIMIT" });
  expect(numUnits(res.body.spent_today)).toBe(gbRate);
  expect(numUnits(res.body.daily_spend_cap)).toBe(3n * gbRate);
  expect(numUnits(res.body.estimated_cost)).toBe(3n * gbRate);
  expect(await spentToday(key.key.id)).toBe(gbRate);
  const m = await money(t.db, ws.id);
  expect(m.messages).toBe(1);
  expect(m.usage_rows).toBe(1);
  // Exactly up to the cap is allowed.
  expect((await send({ key: key.secret, body: { to: [gbNumber(5), gbNumber(6)], message: "Hi", sender_id: "Acme" } })).status).toBe(200);
  expect(await spentToday(key.key.id)).toBe(3n * gbRate);
});

it("releases the reservation when the balance refuses the send (one transaction)", async () => {
  const ws = await makeWorkspace(t, "Cap and balance", decText(gbRate));
  const key = await cappedKey(ws.id, { dailySpendCap: "100" });
  expect((await send({ key: key.secret, body: { to: [gbNumber(1), gbNumber(2)], message: "Hi", sender_id: "Acme" } })).body).toMatchObject({
    error_code: "INSUFFICIENT_BALANCE",
  });
  expect(await spentToday(key.key.id)).toBe(0n);
});

it("counts the UTC day: yesterday's spend does not count today", async () => {
  const ws = await makeWorkspace(t, "Cap days", "1000");
  const key = await cappedKey(ws.id, { dailySpendCap: decText(gbRate) });
  await t.db.execute(
    sql`insert into api_key_daily_spend (key_id, day, spent) values (${key.key.id}, (now() at time zone 'utc')::date - 1, ${decText(gbRate)})`,
  );
  expect((await send({ key: key.secret, body: one(1) })).status).toBe(200);
  expect((await send({ key: key.secret, body: one(2) })).body).toMatchObject({ error_code: "KEY_SPEND_LIMIT" });
});

it("gives a carrier-refused message's cost back to the key's day, as to the balance", async () => {
  const ws = await makeWorkspace(t, "Cap refund", "1000");
  const key = await cappedKey(ws.id, { dailySpendCap: decText(2n * gbRate) });
  const sent = await send({ key: key.secret, body: { to: [gbNumber(1), gbNumber(2)], message: "Hi", sender_id: "Acme" } });
  expect(sent.status).toBe(200);
  expect((await send({ key: key.secret, body: one(3) })).status).toBe(402);

  const refusing: Carrier = {
    name: "refusing carrier",
    available: () => true,
    submit: async (list) => ({
      results: list.map((m) => ({ messageId: m.messageId, accepted: false as const, statusCode: "REFUSED" })),
      reports: [],
    }),
  };
  const ids = await rows<{ id: string }>(
    t.db,
    sql`select id::text as id from messages where key_id = ${key.key.id} and status = 'pending'`,
  );
  await handleSubmitJob(
    { db: t.db, queue: jobs.queue, carriers: { live: refusing, test: refusing } },
    { ids: ids.map((r) => Number(r.id)) },
  );
  expect(await spentToday(key.key.id)).toBe(0n);
  expect(dec((await money(t.db, ws.id)).balance)).toBe(dec("1000"));
  expect((await send({ key: key.secret, body: one(4) })).status).toBe(200);
});

it("counts the whole day when a cap is set on a key that had none", async () => {
  const ws = await makeWorkspace(t, "Cap later", "1000");
  const key = await cappedKey(ws.id, {});
  expect((await send({ key: key.secret, body: { to: [gbNumber(1), gbNumber(2)], message: "Hi", sender_id: "Acme" } })).status).toBe(200);
  // No cap: the send reserved nothing (no statement, no row).
  const [{ n }] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from api_key_daily_spend where key_id = ${key.key.id}`);
  expect(n).toBe(0);

  const ctx = await contextFor(t.db, t.seed.userIds.owner, ws.id);
  await updateKey(t.db, ctx, key.key.id, { dailySpendCap: decText(3n * gbRate) });
  expect(await spentToday(key.key.id)).toBe(2n * gbRate);
  expect((await send({ key: key.secret, body: one(3) })).status).toBe(200);
  expect((await send({ key: key.secret, body: one(4) })).body).toMatchObject({ error_code: "KEY_SPEND_LIMIT" });
});

it("caps a test key's would-be spend the same way (nothing billed)", async () => {
  const ws = await makeWorkspace(t, "Cap sandbox", "0");
  const key = await cappedKey(ws.id, { mode: "test", dailySpendCap: decText(gbRate) });
  expect((await send({ key: key.secret, body: one(1) })).status).toBe(200);
  const res = await send({ key: key.secret, body: one(2) });
  expect(res.status).toBe(402);
  expect(res.body).toMatchObject({ error_code: "KEY_SPEND_LIMIT" });
});

it("answers a recipient outside the key's allowed countries as blocked_country, unbilled, like a blocked country", async () => {
  const ws = await makeWorkspace(t, "Countries", "1000");
  const key = await cappedKey(ws.id, { allowedCountries: ["GB", "FR"] });
  const res = await send({
    key: key.secret,
    body: { to: [NUMBERS.GB, NUMBERS.US, NUMBERS.FR, NUMBERS.noCountry], message: "Hi", sender_id: "Acme" },
  });
  expect(res.status).toBe(200);
  const statuses = (res.body.results as { dnis: string; status: string; failure?: { category: string } }[]).map((r) => [
    r.dnis,
    r.status,
    r.failure?.category ?? null,
  ]);
  expect(statuses).toEqual([
    [NUMBERS.GB, "accepted", null],
    [NUMBERS.US, "blocked_country", "blocked_country"],
    [NUMBERS.FR, "accepted", null],
    [NUMBERS.noCountry, "blocked_country", "blocked_country"],
  ]);
  expect(res.body.summary).toMatchObject({ accepted_count: 2, blocked_count: 2 });
  const stored = await rows<{ recipient: string; status: string; status_code: string | null; cost: string }>(
    t.db,
    sql`select recipient, status, status_code, cost::text as cost from messages where key_id = ${key.key.id} and recipient = ${NUMBERS.US}`,
  );
  expect(stored).toEqual([{ recipient: NUMBERS.US, status: "failed", status_code: "blocked_country", cost: "0.00000" }]);
});

it("forgets spend rows older than 35 days in housekeeping, and keeps today's", async () => {
  const ws = await makeWorkspace(t, "Cap purge", "1000");
  const key = await cappedKey(ws.id, { dailySpendCap: "5" });
  await t.db.execute(
    sql`insert into api_key_daily_spend (key_id, day, spent) values
      (${key.key.id}, (now() at time zone 'utc')::date - 36, 1), (${key.key.id}, (now() at time zone 'utc')::date, 2)`,
  );
  await housekeeping(t.db);
  const left = await rows<{ spent: string }>(t.db, sql`select spent::text as spent from api_key_daily_spend where key_id = ${key.key.id}`);
  expect(left).toEqual([{ spent: "2.00000" }]);
});

it("debits a capped key's send in the reservation's statement: balance.low still once per crossing, the balance never below zero", async () => {
  const ws = await makeWorkspace(t, "Cap and low balance", decText(13n * gbRate));
  await t.db
    .update(workspaces)
    .set({ lowBalanceThreshold: decText(10n * gbRate) })
    .where(eq(workspaces.id, ws.id));
  const ctx = await contextFor(t.db, t.seed.userIds.owner, ws.id);
  await updateWebhookSettings(t.db, ctx, "live", {
    urls: { delivery: "https://example.com/hook" },
    events: ["delivery", "balance.low"],
  });
  const key = await cappedKey(ws.id, { dailySpendCap: "1000" });
  const results = await Promise.all(Array.from({ length: 16 }, (_, i) => send({ key: key.secret, body: one(100 + i) })));
  expect(results.filter((r) => r.status === 200)).toHaveLength(13);
  expect(results.filter((r) => r.status === 402).map((r) => r.body.error_code)).toEqual(Array(3).fill("INSUFFICIENT_BALANCE"));
  expect(dec((await money(t.db, ws.id)).balance)).toBe(0n);
  // Refused by the balance, released: only what was billed counts.
  expect(await spentToday(key.key.id)).toBe(13n * gbRate);
  const [{ n }] = await rows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.webhookDeliver} and data->>'event' = 'balance.low' and (data->>'workspaceId')::int = ${ws.id}`,
  );
  expect(n).toBe(1);
});
