/**
 * The lifecycle's periodic jobs and its idempotence, called directly with
 * their deps on rows inserted directly (no workers, so nothing else moves):
 * test messages kept 24 h and at most the last 500 per workspace; messages
 * with no final status after 3 days become UNDELIV; a repeated or late report
 * or submission changes nothing; a carrier refusal refunds exactly.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import { QUEUES } from "@/lib/queue/queue";
import type { Jobs } from "@/lib/runtime/jobs";
import type { TestDatabase } from "@/tests/db";
import { messageRow, type MessageInsert } from "@/tests/messages";
import { dec, gbNumber, jobCount, makeWorkspace, money, NUMBERS, send, setupSms, teardownSms } from "@/tests/sms";
import type { Carrier } from "./carrier";
import {
  finalizeStuckMessages,
  handleReportJob,
  handleSubmitJob,
  pruneSandboxMessages,
  SANDBOX_RETENTION,
  STUCK_AFTER_MS,
} from "./lifecycle";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
});

afterAll(() => teardownSms({ t, runtime, jobs }));

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** A stored test-mode message the sandbox has taken (retention is about test messages). */
const row = (workspaceId: number, over: Partial<MessageInsert> = {}) =>
  messageRow(workspaceId, { mode: "test", status: "sent", statusCode: null, ...over });

async function insert(values: Array<typeof messages.$inferInsert>) {
  for (let i = 0; i < values.length; i += 500) await t.db.insert(messages).values(values.slice(i, i + 500));
}

describe("pruneSandboxMessages", () => {
  it("keeps the newest 500 test messages of a workspace, deletes test messages older than 24 h, and never touches live ones", async () => {
    const now = Date.now();
    const busy = await makeWorkspace(t, "Busy sandbox", "0");
    const quiet = await makeWorkspace(t, "Quiet sandbox", "0");
    // 510 recent test messages, i seconds old.
    const recent = Array.from({ length: 510 }, (_, i) => row(busy.id, { recipient: gbNumber(i), createdAt: new Date(now - i * 1000) }));
    const stale = row(busy.id, { createdAt: new Date(now - 25 * HOUR) });
    const live = [
      row(busy.id, { mode: "live", createdAt: new Date(now - 25 * HOUR) }),
      row(busy.id, { mode: "live", status: "DELIVRD", createdAt: new Date(now - 40 * DAY) }),
      ...Array.from({ length: 600 }, () => row(busy.id, { mode: "live", createdAt: new Date(now - 5000) })),
    ];
    const quietRows = Array.from({ length: 10 }, (_, i) => row(quiet.id, { createdAt: new Date(now - i * 1000) }));
    await insert([...recent, stale, ...live, ...quietRows]);

    expect(SANDBOX_RETENTION).toEqual({ maxAgeMs: DAY, perWorkspace: 500 });
    expect(await pruneSandboxMessages(t.db, now)).toBe(11);

    const kept = await t.db
      .select({ messageId: messages.messageId })
      .from(messages)
      .where(and(eq(messages.workspaceId, busy.id), eq(messages.mode, "test")));
    expect(new Set(kept.map((m) => m.messageId))).toEqual(new Set(recent.slice(0, 500).map((m) => m.messageId)));
    const liveKept = await t.db
      .select({ messageId: messages.messageId })
      .from(messages)
      .where(and(eq(messages.workspaceId, busy.id), eq(messages.mode, "live")));
    expect(liveKept).toHaveLength(live.length);
    expect((await money(t.db, quiet.id)).messages).toBe(10);

    // Nothing more to do on a second run.
    expect(await pruneSandboxMessages(t.db, now)).toBe(0);
  });
});

describe("finalizeStuckMessages", () => {
  it("moves a message with no final status 3 days + 1 minute after its send to UNDELIV, and leaves a 2-day-old one alone", async () => {
    const now = Date.now();
    const ws = await makeWorkspace(t, "Stuck", "0");
    const stuckSent = row(ws.id, { mode: "live", createdAt: new Date(now - STUCK_AFTER_MS - 60_000) });
    const stuckPending = row(ws.id, { mode: "live", status: "pending", createdAt: new Date(now - STUCK_AFTER_MS - 60_000) });
    const young = row(ws.id, { mode: "live", createdAt: new Date(now - 2 * DAY) });
    const youngPending = row(ws.id, { mode: "live", status: "pending", createdAt: new Date(now - STUCK_AFTER_MS + 60_000) });
    const oldFinal = row(ws.id, { mode: "live", status: "REJECTD", statusCode: "002", createdAt: new Date(now - 4 * DAY) });
    const oldFailed = row(ws.id, {
      mode: "live",
      status: "failed",
      statusCode: "blocked_country",
      cost: "0",
      createdAt: new Date(now - 4 * DAY),
    });
    await insert([stuckSent, stuckPending, young, youngPending, oldFinal, oldFailed]);
    expect(STUCK_AFTER_MS).toBe(3 * DAY);

    expect(await finalizeStuckMessages(jobs, now)).toBe(2);
    const list = await t.db.select().from(messages).where(eq(messages.workspaceId, ws.id));
    const status = Object.fromEntries(list.map((m) => [m.messageId, [m.status, m.statusCode, m.deliveredAt]]));
    expect(status).toEqual({
      [stuckSent.messageId]: ["UNDELIV", "NO_REPORT", null],
      [stuckPending.messageId]: ["UNDELIV", "NO_REPORT", null],
      [young.messageId]: ["sent", null, null],
      [youngPending.messageId]: ["pending", null, null],
      [oldFinal.messageId]: ["REJECTD", "002", null],
      [oldFailed.messageId]: ["failed", "blocked_country", null],
    });
    expect(await finalizeStuckMessages(jobs, now)).toBe(0);
  });

  it("works through more than one batch of 1,000", async () => {
    const now = Date.now();
    const ws = await makeWorkspace(t, "Very stuck", "0");
    await insert(Array.from({ length: 1205 }, (_, i) => row(ws.id, { mode: "live", createdAt: new Date(now - 4 * DAY - i * 1000) })));
    expect(await finalizeStuckMessages(jobs, now)).toBe(1205);
    const [{ n }] = (await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.workspaceId, ws.id), inArray(messages.status, ["pending", "sent"])))) as Array<{ n: number }>;
    expect(n).toBe(0);
  });
});

describe("reports and submissions are idempotent", () => {
  it("changes nothing when a report arrives for a message that is already final", async () => {
    const ws = await makeWorkspace(t, "Reports", "0");
    const message = row(ws.id, { mode: "live" });
    const failed = row(ws.id, { mode: "live", status: "failed", statusCode: "blocked_country", cost: "0" });
    await insert([message, failed]);

    await handleReportJob(jobs, { messageId: message.messageId, status: "DELIVRD", statusCode: "000" });
    const [delivered] = await t.db.select().from(messages).where(eq(messages.messageId, message.messageId));
    expect(delivered).toMatchObject({ status: "DELIVRD", statusCode: "000" });
    expect(delivered.deliveredAt).toBeInstanceOf(Date);

    const webhooks = await jobCount(t.db, QUEUES.webhookDeliver);
    const [failedBefore] = await t.db.select().from(messages).where(eq(messages.messageId, failed.messageId));
    for (const report of [
      { messageId: message.messageId, status: "DELIVRD", statusCode: "000" },
      { messageId: message.messageId, status: "UNDELIV", statusCode: "001" },
      { messageId: failed.messageId, status: "DELIVRD", statusCode: "000" },
    ] as const) {
      await handleReportJob(jobs, report);
    }
    expect((await t.db.select().from(messages).where(eq(messages.messageId, message.messageId)))[0]).toEqual(delivered);
    expect((await t.db.select().from(messages).where(eq(messages.messageId, failed.messageId)))[0]).toEqual(failedBefore);
    // No second delivery event either.
    expect(await jobCount(t.db, QUEUES.webhookDeliver)).toBe(webhooks);
  });

  it("submits nothing again when the submit job of already-sent messages runs twice", async () => {
    const ws = await makeWorkspace(t, "Submit twice", "1");
    const res = await send({ key: ws.test, body: { to: [NUMBERS.GB, NUMBERS.FR], message: "Once", sender_id: "Acme" } });
    expect(res.status).toBe(200);
    const stored = await t.db.select({ id: messages.id }).from(messages).where(eq(messages.workspaceId, ws.id));
    const ids = stored.map((m) => m.id);
    await handleSubmitJob(jobs, { ids });
    const afterFirst = await t.db.select().from(messages).where(eq(messages.workspaceId, ws.id));
    expect(afterFirst.map((m) => m.status)).toEqual(["sent", "sent"]);
    const reports = await jobCount(t.db, QUEUES.smsReport);
    // One report job for the batch (both messages are due at the same second).
    expect(reports).toBeGreaterThanOrEqual(1);

    await handleSubmitJob(jobs, { ids });
    expect(await t.db.select().from(messages).where(eq(messages.workspaceId, ws.id))).toEqual(afterFirst);
    expect(await jobCount(t.db, QUEUES.smsReport)).toBe(reports);
  });

  it("refunds a message the carrier refuses, exactly, with a ledger row, and marks it failed at cost 0", async () => {
    const ws = await makeWorkspace(t, "Refused", "1");
    const res = await send({ key: ws.live, body: { to: [NUMBERS.GB, NUMBERS.DE], message: "Refuse one", sender_id: "Acme" } });
    expect(res.status).toBe(200);
    const debited = await money(t.db, ws.id);
    const [de] = await t.db
      .select()
      .from(messages)
      .where(and(eq(messages.workspaceId, ws.id), eq(messages.recipient, NUMBERS.DE)));
    const refusing: Carrier = {
      name: "refusing",
      available: () => true,
      async submit(batch) {
        return {
          results: batch.map((m) =>
            m.recipient === NUMBERS.DE
              ? { messageId: m.messageId, accepted: false as const, statusCode: "REFUSED" }
              : { messageId: m.messageId, accepted: true as const, carrierMessageId: "c-1" },
          ),
          reports: [],
        };
      },
    };
    const all = await t.db.select({ id: messages.id }).from(messages).where(eq(messages.workspaceId, ws.id));
    const deps = { ...jobs, carriers: { live: refusing, test: jobs.carriers.test } };
    await handleSubmitJob(deps, { ids: all.map((m) => m.id) });
    await handleSubmitJob(deps, { ids: all.map((m) => m.id) }); // a retried job refunds nothing twice

    const [after] = await t.db.select().from(messages).where(eq(messages.id, de.id));
    expect(after).toMatchObject({ status: "failed", statusCode: "REFUSED" });
    expect(dec(after.cost)).toBe(0n);
    const m = await money(t.db, ws.id);
    expect(dec(m.balance) - dec(debited.balance)).toBe(dec(de.cost));
    expect(m.balance).toBe(m.ledger);
    expect(m.ledger_rows).toBe(debited.ledger_rows + 1);
  });
});
