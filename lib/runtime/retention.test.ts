/**
 * Nothing the API leaves behind grows without bound: the request log and its
 * hourly counters have a retention (REQUEST_LOG_RETENTION_DAYS), expired
 * rate-limit counters, replay entries and idempotency keys are purged — each in
 * bounded batches, each keeping what is newer than its limit.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiRequestCounts, apiRequests, idempotencyKeys, rateLimits, signatureReplays } from "@/db/schema";
import { QUEUES } from "@/lib/queue/queue";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { recordingDb, rows } from "@/tests/sms";
import { housekeeping } from "./housekeeping";
import { createJobs } from "./jobs";
import {
  DEFAULT_REQUEST_LOG_RETENTION_DAYS,
  purgeExpiredRateLimits,
  purgeRequestCounts,
  purgeRequestLog,
  requestLogRetention,
  requestLogRetentionDays,
} from "./retention";

let t: TestDatabase;
beforeAll(async () => void (t = await createTestDatabase()));
afterAll(() => t.close());

// A fixed "now", so no test depends on the clock.
const NOW = new Date("2026-12-05T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

let savedDays: string | undefined;
beforeEach(async () => {
  savedDays = process.env.REQUEST_LOG_RETENTION_DAYS;
  delete process.env.REQUEST_LOG_RETENTION_DAYS;
  for (const table of [apiRequests, apiRequestCounts, rateLimits, signatureReplays, idempotencyKeys]) await t.db.delete(table);
});
afterEach(() => {
  if (savedDays === undefined) delete process.env.REQUEST_LOG_RETENTION_DAYS;
  else process.env.REQUEST_LOG_RETENTION_DAYS = savedDays;
});

async function logRequestsAt(...times: Date[]) {
  await t.db.insert(apiRequests).values(
    times.map((createdAt) => ({
      method: "GET",
      path: "/api/v1/user/balance",
      status: 401,
      errorCode: "UNAUTHORIZED",
      latencyMs: 1,
      requestId: `req_${randomBytes(6).toString("hex")}`,
      createdAt,
    })),
  );
}
const loggedTimes = async () =>
  (await t.db.select({ at: apiRequests.createdAt }).from(apiRequests).orderBy(apiRequests.createdAt)).map((r) => r.at.toISOString());

async function countHours(...hours: Date[]) {
  await t.db.insert(apiRequestCounts).values(hours.map((hour) => ({ keyId: "key_counts", hour, status: 200, errorCode: "", count: 3 })));
}
const countedHours = async () =>
  (await t.db.select({ hour: apiRequestCounts.hour }).from(apiRequestCounts).orderBy(apiRequestCounts.hour)).map((r) =>
    r.hour.toISOString(),
  );

describe("REQUEST_LOG_RETENTION_DAYS", () => {
  it.each([
    [undefined, DEFAULT_REQUEST_LOG_RETENTION_DAYS],
    ["", DEFAULT_REQUEST_LOG_RETENTION_DAYS],
    ["7", 7],
    ["365", 365],
    ["0", DEFAULT_REQUEST_LOG_RETENTION_DAYS],
    ["-3", DEFAULT_REQUEST_LOG_RETENTION_DAYS],
    ["1.5", DEFAULT_REQUEST_LOG_RETENTION_DAYS],
    ["thirty", DEFAULT_REQUEST_LOG_RETENTION_DAYS],
  ])("reads %j as %i days", (raw, days) => {
    expect(requestLogRetentionDays(raw)).toBe(days);
  });
});

describe("the request log (api_requests)", () => {
  it("deletes requests older than the retention (30 days by default) and keeps the newer ones", async () => {
    const kept = [daysAgo(29.99), daysAgo(1), NOW];
    await logRequestsAt(daysAgo(400), daysAgo(31), daysAgo(30.01), ...kept);
    expect(await requestLogRetention(t.db, NOW)).toMatchObject({ requests: 3 });
    expect(await loggedTimes()).toEqual(kept.map((d) => d.toISOString()));
  });

  it("follows REQUEST_LOG_RETENTION_DAYS", async () => {
    process.env.REQUEST_LOG_RETENTION_DAYS = "7";
    await logRequestsAt(daysAgo(8), daysAgo(7.01), daysAgo(6.99));
    expect(await requestLogRetention(t.db, NOW)).toMatchObject({ requests: 2 });
    expect(await loggedTimes()).toEqual([daysAgo(6.99).toISOString()]);
  });

  it("deletes in bounded batches, one short statement each, also across rows of the same instant", async () => {
    // 7 old rows, 3 of them at one instant that straddles a batch boundary; 2 newer rows.
    const tie = daysAgo(35);
    await logRequestsAt(daysAgo(50), daysAgo(40), tie, tie, tie, daysAgo(33), daysAgo(31), daysAgo(10), NOW);
    const { db, statements } = recordingDb(t);
    expect(await purgeRequestLog(db, NOW, 30, { batchSize: 2 })).toBe(7);
    const deletes = statements.filter((s) => /delete from "api_requests"/.test(s.query));
    expect(deletes).toHaveLength(4); // 2 + 2 + 2 + 1
    for (const s of deletes) expect(s.query).toMatch(/limit \$\d+/);
    expect(await loggedTimes()).toEqual([daysAgo(10), NOW].map((d) => d.toISOString()));
  });

  it("stops at its time limit and goes on from there at the next run", async () => {
    await logRequestsAt(daysAgo(40), daysAgo(39), daysAgo(38), daysAgo(1));
    expect(await purgeRequestLog(t.db, NOW, 30, { batchSize: 1, maxMs: -1 })).toBe(1);
    expect(await purgeRequestLog(t.db, NOW, 30, { batchSize: 1 })).toBe(2);
    expect(await loggedTimes()).toEqual([daysAgo(1).toISOString()]);
  });
});

describe("the hourly counters per key (api_request_counts)", () => {
  it("keeps them as long as the log when that is longer than 30 days", async () => {
    await countHours(daysAgo(61), daysAgo(59), daysAgo(1));
    expect(await purgeRequestCounts(t.db, NOW, 60)).toBe(1);
    expect(await countedHours()).toEqual([daysAgo(59), daysAgo(1)].map((d) => d.toISOString()));
  });

  it("keeps at least the 30 days a key's page charts, even with a shorter log retention", async () => {
    process.env.REQUEST_LOG_RETENTION_DAYS = "7";
    await countHours(daysAgo(31), daysAgo(29), daysAgo(8));
    expect(await requestLogRetention(t.db, NOW)).toEqual({ requests: 0, counts: 1 });
    expect(await countedHours()).toEqual([daysAgo(29), daysAgo(8)].map((d) => d.toISOString()));
  });
});

describe("housekeeping", () => {
  it("purges expired rate-limit counters and keeps live ones (and those without an expiry)", async () => {
    await t.db.insert(rateLimits).values([
      { key: "api_fail:2001:db8::1", points: 21, expire: new Date(NOW.getTime() - 1000) },
      { key: "signin_email:a@example.test", points: 5, expire: daysAgo(3) },
      { key: "api_fail:2001:db8::2", points: 3, expire: new Date(NOW.getTime() + 30_000) },
      { key: "forever", points: 1, expire: null },
    ]);
    await housekeeping(t.db, NOW);
    const left = await t.db.select({ key: rateLimits.key }).from(rateLimits).orderBy(rateLimits.key);
    expect(left.map((r) => r.key)).toEqual(["api_fail:2001:db8::2", "forever"]);
  });

  it("purges expired HMAC replay entries and keeps those still inside their window", async () => {
    await t.db.insert(signatureReplays).values([
      { keyId: "key_a", signature: "old", expiresAt: new Date(NOW.getTime() - 1) },
      { keyId: "key_a", signature: "live", expiresAt: new Date(NOW.getTime() + 599_000) },
    ]);
    await housekeeping(t.db, NOW);
    expect((await t.db.select().from(signatureReplays)).map((r) => r.signature)).toEqual(["live"]);
  });

  it("purges idempotency keys older than 24 h and keeps younger ones", async () => {
    const workspaceId = t.seed.mainWorkspaceId;
    await t.db.insert(idempotencyKeys).values([
      { workspaceId, key: "old", bodyHash: "h", createdAt: new Date(NOW.getTime() - DAY - 1000) },
      { workspaceId, key: "young", bodyHash: "h", createdAt: new Date(NOW.getTime() - DAY + 60_000) },
    ]);
    await housekeeping(t.db, NOW);
    expect((await t.db.select().from(idempotencyKeys)).map((r) => r.key)).toEqual(["young"]);
  });

  it("purges the counters of the real limiters once their window is over", async () => {
    const { createSignInLimiter } = await import("@/lib/auth/sign-in-limits");
    const limiter = createSignInLimiter(t.db);
    await limiter.attempt("someone@example.test", "2001:db8::9");
    expect(await t.db.select().from(rateLimits)).toHaveLength(2);
    expect(await purgeExpiredRateLimits(t.db, NOW)).toBe(0);
    expect(await purgeExpiredRateLimits(t.db, new Date(Date.now() + 16 * 60_000))).toBe(2);
  });
});

describe("the schedule", () => {
  it("runs the request-log retention and housekeeping hourly on the job queue", async () => {
    const jobs = await createJobs(t.database, { workers: true });
    try {
      const schedules = await rows<{ name: string; cron: string }>(t.db, sql`select name, cron from pgboss.schedule order by name`);
      expect(schedules).toEqual(
        expect.arrayContaining([
          { name: QUEUES.requestLogRetention, cron: "17 * * * *" },
          { name: QUEUES.housekeeping, cron: "37 * * * *" },
        ]),
      );
    } finally {
      await jobs.stop();
    }
  });
});
