/**
 * The lifecycle works in batches (the embedded database has ONE connection, so
 * every statement per message queues behind the others): a submit batch costs
 * a constant number of statements and one report job per due second; a report
 * job applies its whole list with one UPDATE; the workers handle a fetched
 * batch of jobs as one call, and fall back to one job at a time only when that
 * call throws, so one bad job still fails alone.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, messages, webhookSettings } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import { QUEUES, type Queue } from "@/lib/queue/queue";
import type { Jobs } from "@/lib/runtime/jobs";
import { startWorkers, together } from "@/lib/runtime/workers";
import type { TestDatabase } from "@/tests/db";
import { messageRow, type MessageInsert } from "@/tests/messages";
import { gbNumber, jobCount, makeWorkspace, recordingDb, rows, send, setupSms, teardownSms, waitFor } from "@/tests/sms";
import { handleReportJob, handleSubmitJob, type Report } from "./lifecycle";

/** A stored live message the carrier has taken (`sent`), waiting for its report. */
const sentRow = (workspaceId: number, over: Partial<MessageInsert> = {}) =>
  messageRow(workspaceId, { status: "sent", statusCode: null, ...over });
let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
  // No workers until the last block starts them: the handlers are called directly, nothing else moves.
});

afterAll(() => teardownSms({ t, runtime, jobs }));

/** The ids of `count` test-mode messages of a fresh workspace, stored by the send route (still pending). */
async function pendingTestMessages(count: number, name: string) {
  const ws = await makeWorkspace(t, name, "0");
  const to = Array.from({ length: count }, (_, i) => gbNumber(i));
  const res = await send({ key: ws.test, body: { to, message: "Batch", sender_id: "Acme" } });
  expect(res.status).toBe(200);
  const stored = await t.db.select({ id: messages.id }).from(messages).where(eq(messages.workspaceId, ws.id));
  return { ws, ids: stored.map((m) => m.id) };
}

type JobRow = {
  id: string;
  state: string;
  retry_count: number;
  data: Record<string, unknown>;
  start_after: Date | string;
  output: { message?: string } | null;
};

describe("a submit batch", () => {
  it("costs the same few statements for 100 messages as for 1", async () => {
    const counts: number[] = [];
    for (const size of [1, 100]) {
      const { ws, ids } = await pendingTestMessages(size, `Statements ${size}`);
      const counting = recordingDb(t);
      await handleSubmitJob({ ...jobs, db: counting.db }, { ids });
      counts.push(counting.statements.length);
      const stored = await t.db.select({ status: messages.status }).from(messages).where(eq(messages.workspaceId, ws.id));
      expect(stored.filter((m) => m.status === "sent")).toHaveLength(size);
    }
    // Read the batch, mark it sent, enqueue its report job.
    expect(counts).toEqual([3, 3]);
  });

  it("writes one report job for 100 messages, not 100, due at the sandbox's delay rounded up to the second", async () => {
    const { ws, ids } = await pendingTestMessages(100, "One report job");
    const before = await jobCount(t.db, QUEUES.smsReport);
    const submittedAt = Date.now();
    await handleSubmitJob(jobs, { ids });

    expect(await jobCount(t.db, QUEUES.smsReport)).toBe(before + 1);
    const stored = await t.db.select().from(messages).where(eq(messages.workspaceId, ws.id));
    const [job] = await rows<JobRow>(
      t.db,
      sql`select data, start_after from pgboss.job where name = ${QUEUES.smsReport}
        and data->'reports' @> ${JSON.stringify([{ messageId: stored[0].messageId }])}::jsonb`,
    );
    expect(new Set((job.data.reports as Report[]).map((r) => r.messageId))).toEqual(new Set(stored.map((m) => m.messageId)));
    for (const report of job.data.reports as Report[]) {
      expect(report).toEqual({ messageId: report.messageId, status: "DELIVRD", statusCode: "000" });
    }
    const due = new Date(job.start_after).getTime();
    expect(due % 1000).toBe(0);
    const delay = Number(process.env.SANDBOX_DLR_DELAY_MS ?? 5000);
    expect(due).toBeGreaterThanOrEqual(submittedAt + delay);
    expect(due).toBeLessThanOrEqual(Date.now() + delay + 1000);

    // Each accepted message was marked sent with its own carrier id.
    expect(stored.every((m) => m.status === "sent" && m.sentAt instanceof Date)).toBe(true);
    expect(new Set(stored.map((m) => m.carrierMessageId)).size).toBe(100);
  });
});

describe("a report job", () => {
  const read = (ids: string[]) => t.db.select().from(messages).where(inArray(messages.messageId, ids));
  const webhookJobs = async (ids: string[]) =>
    (
      await rows<{ message_id: string }>(
        t.db,
        sql`select data->>'messageId' as message_id from pgboss.job where name = ${QUEUES.webhookDeliver}
          and data->>'messageId' in (select json_array_elements_text(${JSON.stringify(ids)}::json))`,
      )
    ).map((j) => j.message_id);

  const DELIVRD = { status: "DELIVRD", statusCode: "000" } as const;
  const UNDELIV = { status: "UNDELIV", statusCode: "001" } as const;

  it("moves each message of a list forward once, with one delivery webhook each, and a repeated one changes nothing", async () => {
    const ws = await makeWorkspace(t, "Report list", "0");
    await t.db.insert(webhookSettings).values({ workspaceId: ws.id, deliveryUrl: "https://hooks.example.com/dlr" });
    const sent = Array.from({ length: 60 }, () => sentRow(ws.id));
    const pending = sentRow(ws.id, { status: "pending" });
    const final = sentRow(ws.id, { status: "REJECTD", statusCode: "002" });
    const failed = sentRow(ws.id, { status: "failed", statusCode: "blocked_country", cost: "0" });
    await t.db.insert(messages).values([...sent, pending, final, failed]);
    const all = [...sent, pending, final, failed].map((m) => m.messageId);
    const untouched = await read([final.messageId, failed.messageId]);

    const reports: Report[] = [
      // Every third one undelivered, the rest delivered.
      ...sent.map(({ messageId }, i): Report => ({ messageId, ...(i % 3 === 0 ? UNDELIV : DELIVRD) })),
      { messageId: pending.messageId, status: "DELIVRD", statusCode: "000" },
      { messageId: final.messageId, status: "DELIVRD", statusCode: "000" },
      { messageId: failed.messageId, status: "DELIVRD", statusCode: "000" },
      // A second report for a message in the same list: the first one wins.
      { messageId: sent[1].messageId, status: "EXPIRED", statusCode: "003" },
    ];
    await handleReportJob(jobs, { reports });

    const after = new Map((await read(all)).map((m) => [m.messageId, m]));
    sent.forEach((m, i) => {
      const stored = after.get(m.messageId)!;
      if (i % 3 === 0) expect(stored).toMatchObject({ status: "UNDELIV", statusCode: "001", deliveredAt: null });
      else {
        expect(stored).toMatchObject({ status: "DELIVRD", statusCode: "000" });
        expect(stored.deliveredAt).toBeInstanceOf(Date);
      }
    });
    expect(after.get(pending.messageId)).toMatchObject({ status: "DELIVRD", statusCode: "000" });
    expect(await read([final.messageId, failed.messageId])).toEqual(untouched);
    const moved = [...sent, pending].map((m) => m.messageId);
    expect((await webhookJobs(all)).sort()).toEqual([...moved].sort());

    // The same job again (a retry), and late reports of another status: nothing moves, no second webhook.
    const settled = await read(all);
    await handleReportJob(jobs, { reports });
    await handleReportJob(jobs, { reports: sent.map((m) => ({ messageId: m.messageId, status: "EXPIRED", statusCode: "003" })) });
    expect(await read(all)).toEqual(settled);
    expect(await webhookJobs(all)).toHaveLength(moved.length);
  });

  it("reads each key's postback URL and each workspace's webhook settings once per list, not once per message", async () => {
    const ws = await makeWorkspace(t, "Report reads", "0");
    await t.db.insert(webhookSettings).values({ workspaceId: ws.id, deliveryUrl: "https://hooks.example.com/dlr" });
    const [key] = await t.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.workspaceId, ws.id)).limit(1);
    const counts: number[] = [];
    for (const size of [1, 100]) {
      const batch = Array.from({ length: size }, () => sentRow(ws.id, { keyId: key.id }));
      await t.db.insert(messages).values(batch);
      const counting = recordingDb(t);
      await handleReportJob({ ...jobs, db: counting.db }, { reports: batch.map(({ messageId }) => ({ messageId, ...DELIVRD })) });
      counts.push(counting.statements.length);
      expect(await webhookJobs(batch.map((m) => m.messageId))).toHaveLength(size);
    }
    // 99 more messages cost exactly their 99 more webhook jobs: no read per message.
    expect(counts[1] - counts[0]).toBe(99);
  });

  it("still applies a job in the old one-message shape (jobs outlive upgrades)", async () => {
    const ws = await makeWorkspace(t, "Old shape", "0");
    const message = sentRow(ws.id);
    await t.db.insert(messages).values(message);
    await handleReportJob(jobs, { messageId: message.messageId, status: "UNDELIV", statusCode: "001" });
    expect((await read([message.messageId]))[0]).toMatchObject({ status: "UNDELIV", statusCode: "001", deliveredAt: null });
  });

  it("refuses a list holding a status that is not final, and writes none of it", async () => {
    const ws = await makeWorkspace(t, "Bogus report", "0");
    const message = sentRow(ws.id);
    await t.db.insert(messages).values(message);
    const reports = [
      { messageId: message.messageId, status: "DELIVRD", statusCode: "000" },
      { messageId: message.messageId, status: "BOGUS", statusCode: "999" },
    ] as Report[];
    await expect(handleReportJob(jobs, { reports })).rejects.toThrow(/not a final report/);
    expect((await read([message.messageId]))[0]).toMatchObject({ status: "sent" });
  });
});

describe("a fetched batch of jobs", () => {
  /** A queue whose only use here, failing a job, is recorded. */
  const recordingQueue = () => {
    const failed: string[] = [];
    const queue = { boss: { fail: async (_name: string, id: string) => void failed.push(id) } } as unknown as Queue;
    return { queue, failed };
  };
  const batch = (...data: string[]) => data.map((d, i) => ({ id: `job-${i}`, data: d }));

  it("is handled in one call when that call succeeds", async () => {
    const { queue, failed } = recordingQueue();
    const calls: string[][] = [];
    await together(queue, "test", async (list: string[]) => void calls.push(list))(batch("a", "b", "c"));
    expect(calls).toEqual([["a", "b", "c"]]);
    expect(failed).toEqual([]);
  });

  it("falls back to one job at a time when the call throws, so only the bad job is failed", async () => {
    const { queue, failed } = recordingQueue();
    const calls: string[][] = [];
    const handle = async (list: string[]) => {
      calls.push(list);
      if (list.includes("bad")) throw new Error("bad job");
    };
    await together(queue, "test", handle)(batch("a", "bad", "c"));
    expect(calls).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
    expect(failed).toEqual(["job-1"]);
  });
});

describe("the workers", () => {
  const saved = process.env.CARRIER_SIM_DOWN;
  let live: number[];
  let test: number[];
  let good: Awaited<ReturnType<typeof pendingTestMessages>>;
  const reportJobIds: Record<"list" | "old" | "bogus", string> = { list: "", old: "", bogus: "" };

  beforeAll(async () => {
    // Everything is enqueued before the workers start, so each queue's first fetch takes it as one batch.
    const ws = await makeWorkspace(t, "Workers", "1");
    const sendOne = async (key: string) => {
      const res = await send({ key, body: { to: [gbNumber(1), gbNumber(2)], message: "Workers", sender_id: "Acme" } });
      expect(res.status).toBe(200);
      const ids: string[] = res.body.messages.map((m: { message_id: string }) => m.message_id);
      const stored = await t.db.select({ id: messages.id }).from(messages).where(inArray(messages.messageId, ids));
      return stored.map((m) => m.id);
    };
    live = await sendOne(ws.live);
    test = await sendOne(ws.test);

    // Report jobs: a list, an old one-message job, and a malformed one, for sent messages.
    good = await pendingTestMessages(3, "Workers reports");
    await t.db.update(messages).set({ status: "sent" }).where(eq(messages.workspaceId, good.ws.id));
    const stored = await t.db.select().from(messages).where(eq(messages.workspaceId, good.ws.id)).orderBy(messages.id);
    await t.db.transaction(async (tx) => {
      const list = [
        { messageId: stored[0].messageId, status: "DELIVRD", statusCode: "000" },
        { messageId: stored[1].messageId, status: "REJECTD", statusCode: "002" },
      ];
      reportJobIds.list = (await jobs.queue.send(tx, QUEUES.smsReport, { reports: list }))!;
      reportJobIds.old = (await jobs.queue.send(tx, QUEUES.smsReport, {
        messageId: stored[2].messageId,
        status: "EXPIRED",
        statusCode: "003",
      }))!;
      reportJobIds.bogus = (await jobs.queue.send(tx, QUEUES.smsReport, {
        messageId: stored[2].messageId,
        status: "BOGUS",
        statusCode: "999",
      }))!;
    });

    // The live carrier is down for the whole block: its job keeps failing (and waiting for its retry).
    process.env.CARRIER_SIM_DOWN = "true";
    await startWorkers(jobs);
  });

  afterAll(() => {
    if (saved === undefined) delete process.env.CARRIER_SIM_DOWN;
    else process.env.CARRIER_SIM_DOWN = saved;
  });

  it("applies every good report job of a merged batch, old shape included, and fails only the malformed one", async () => {
    const stored = await waitFor(
      () => t.db.select().from(messages).where(eq(messages.workspaceId, good.ws.id)).orderBy(messages.id),
      (list) => list.every((m) => m.status !== "sent"),
    );
    expect(stored.map((m) => [m.status, m.statusCode])).toEqual([
      ["DELIVRD", "000"],
      ["REJECTD", "002"],
      ["EXPIRED", "003"],
    ]);
    const states = await waitFor(
      async () => {
        const ids = Object.values(reportJobIds);
        const list = await rows<JobRow>(
          t.db,
          sql`select id, state, retry_count, output from pgboss.job where id::text in (${ids[0]}, ${ids[1]}, ${ids[2]})`,
        );
        return Object.fromEntries(list.map((j) => [j.id, j]));
      },
      (byId) =>
        byId[reportJobIds.bogus]?.state === "retry" &&
        byId[reportJobIds.list]?.state === "completed" &&
        byId[reportJobIds.old]?.state === "completed",
    );
    expect(states[reportJobIds.bogus].output?.message).toMatch(/not a final report/);
    // The good ones succeeded at their first attempt, not on a retry after the bad one dragged them down.
    expect([states[reportJobIds.list].retry_count, states[reportJobIds.old].retry_count]).toEqual([0, 0]);
  });

  it("sends a submit job while another one of its batch fails because its carrier is down", async () => {
    const sent = await waitFor(
      () => t.db.select().from(messages).where(inArray(messages.id, test)),
      (list) => list.every((m) => m.status !== "pending"),
    );
    for (const m of sent) expect(m.sentAt).toBeInstanceOf(Date);
    const submitJob = async (ids: number[]) =>
      (
        await rows<{ state: string; retry_count: number; output: { message?: string } | null }>(
          t.db,
          sql`select state, retry_count, output from pgboss.job where name = ${QUEUES.smsSubmit} and data->'ids' @> ${JSON.stringify(ids)}::jsonb`,
        )
      )[0];
    // At its first attempt, not on a retry after the down carrier dragged its batch down.
    expect(
      await waitFor(
        () => submitJob(test),
        (job) => job?.state === "completed",
      ),
    ).toMatchObject({ retry_count: 0 });
    const job = await waitFor(
      () => submitJob(live),
      (found) => found?.state === "retry",
    );
    expect(job.output?.message).toBe("simulator is unavailable");
    const stillPending = await t.db
      .select({ status: messages.status })
      .from(messages)
      .where(and(inArray(messages.id, live), eq(messages.status, "pending")));
    expect(stillPending).toHaveLength(2);
  });
});
