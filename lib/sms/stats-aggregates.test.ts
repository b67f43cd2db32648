/**
 * The running aggregates of messages (lib/sms/README.md, "Statistics") are
 * exact: after any mix of sends (live and test, priced, unpriced and
 * countryless recipients), backdated traffic across days, countries, sources
 * and statuses, carrier hand-offs with refusals (failed + refund), delivery
 * reports, the stuck-message sweep, the sandbox purge, other bulk updates and
 * folds at any point, the folded aggregates plus the unfolded deltas equal a
 * full recount from `messages`, and every statistics answer read from them
 * equals the answer of counting the messages, byte for byte.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_STATUSES, messages, workspaces, type MessageStatus } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import type { Jobs } from "@/lib/runtime/jobs";
import type { TestDatabase } from "@/tests/db";
import { insertMessages, messageRow, noonDaysAgo } from "@/tests/messages";
import { makeWorkspace, NUMBERS, rows, send, setupSms, teardownSms } from "@/tests/sms";
import { foldMessageStats } from "./aggregates";
import type { Carrier, FinalReport } from "./carrier";
import { dailyStatsQuery, PERIODS, SOURCES, STATUS_FILTERS, statsQuery, type MessageScope } from "./filters";
import {
  finalizeStuckMessages,
  handleReportJob,
  handleSubmitJob,
  pruneSandboxMessages,
  STUCK_AFTER_MS,
  type LifecycleDeps,
} from "./lifecycle";
import { dailyStats, smsStats, statsByCountry } from "./stats";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
});

afterAll(() => teardownSms({ t, runtime, jobs }));

const FINALS: FinalReport[] = ["DELIVRD", "UNDELIV", "REJECTD", "EXPIRED", "UNKNOWN"];
const RECIPIENTS = [NUMBERS.GB, NUMBERS.US, NUMBERS.FR, NUMBERS.DE, NUMBERS.noPrice, NUMBERS.noCountry];

/** A carrier that accepts or refuses each message as the test says (a refusal fails the message and refunds it). */
const carrier = (refuse: (i: number) => boolean): Carrier => ({
  name: "test carrier",
  available: () => true,
  submit: async (list) => ({
    results: list.map((m, i) =>
      refuse(i)
        ? { messageId: m.messageId, accepted: false as const, statusCode: "REFUSED" }
        : { messageId: m.messageId, accepted: true as const, carrierMessageId: `c-${m.messageId}` },
    ),
    reports: [],
  }),
});

type Op =
  | { kind: "send"; mode: "live" | "test"; to: number[]; long: boolean }
  | {
      kind: "backdated";
      rows: {
        daysAgo: number;
        mode: "live" | "test";
        source: "api" | "campaign";
        country: string | null;
        status: MessageStatus;
        segments: number;
        cents: number;
      }[];
    }
  | { kind: "submit"; refuse: boolean[] }
  | { kind: "report"; picks: number[]; statuses: FinalReport[] }
  | { kind: "finalize" }
  | { kind: "prune" }
  | { kind: "bulkUpdate"; picks: number[]; status: MessageStatus; cents: number }
  | { kind: "deleteSome"; picks: number[] }
  | { kind: "fold"; batch: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("send" as const),
      mode: fc.constantFrom("live" as const, "test" as const),
      to: fc.uniqueArray(fc.nat(RECIPIENTS.length - 1), { minLength: 1, maxLength: RECIPIENTS.length }),
      long: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("backdated" as const),
      rows: fc.array(
        fc.record({
          daysAgo: fc.nat(40),
          mode: fc.constantFrom("live" as const, "test" as const),
          source: fc.constantFrom("api" as const, "campaign" as const),
          country: fc.constantFrom("GB", "US", "FR", null),
          status: fc.constantFrom(...MESSAGE_STATUSES),
          segments: fc.integer({ min: 1, max: 4 }),
          cents: fc.nat(500),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("submit" as const), refuse: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("report" as const),
      picks: fc.array(fc.nat(1000), { minLength: 1, maxLength: 8 }),
      statuses: fc.array(fc.constantFrom(...FINALS), { minLength: 1, maxLength: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("finalize" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("prune" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("bulkUpdate" as const),
      picks: fc.array(fc.nat(1000), { minLength: 1, maxLength: 6 }),
      status: fc.constantFrom(...MESSAGE_STATUSES),
      cents: fc.nat(500),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("deleteSome" as const), picks: fc.array(fc.nat(1000), { minLength: 1, maxLength: 4 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("fold" as const), batch: fc.integer({ min: 1, max: 40 }) }) },
);

/** Present with the given weight (out of 10), else absent. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>, weight: number) =>
  fc.oneof({ weight: 10 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary });

/** A statistics query as a client sends it (phone and sender force the scan on both sides: included, rarely, so both paths are compared). */
const queryArb = fc.record({
  status: maybe(fc.constantFrom(...STATUS_FILTERS), 4),
  country: maybe(fc.constantFrom("GB", "us", "FR", "DE", "CN", "ZZ", "JP"), 3),
  source: maybe(fc.constantFrom(...SOURCES), 5),
  period: maybe(fc.constantFrom(...PERIODS), 5),
  span: maybe(fc.tuple(fc.nat(45), fc.integer({ min: -2, max: 45 })), 6),
  phone: maybe(fc.constantFrom("7400", "+1415"), 1),
  sender: maybe(fc.constantFrom("Acme", "Other"), 1),
});

/** Besides the random ones, every run compares these: the defaults, and all of the traffic. */
const FIXED_QUERIES = [{}, { period: "30d" }, { source: "all", span: [45, -2] as [number, number] }];

const day = (daysAgo: number) => noonDaysAgo(daysAgo).toISOString().slice(0, 10);

function toQuery(q: Record<string, unknown>): Record<string, string> {
  const { span, ...rest } = q as { span?: [number, number] };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rest)) if (typeof v === "string") out[k] = v;
  if (span) {
    const [a, b] = span;
    out.from = day(Math.max(a, b));
    out.to = day(Math.min(a, b));
  }
  return out;
}

/** Every group of the aggregates (folded + unfolded, net of zeros) against the same groups counted from messages. */
async function aggregatesAndRecount() {
  const aggregated = await rows(
    t.db,
    sql`select workspace_id, mode, source, day::text as day, country, status,
               sum(messages)::text as messages, sum(segments)::text as segments, sum(cost)::text as cost
        from (select * from message_stats union all
              select workspace_id, mode, source, day, country, status, messages, segments, cost from message_stats_deltas) a
        group by 1, 2, 3, 4, 5, 6
        having sum(messages) <> 0 or sum(segments) <> 0 or sum(cost) <> 0
        order by 1, 2, 3, 4, 5, 6`,
  );
  const recount = await rows(
    t.db,
    sql`select workspace_id, mode, source, (created_at at time zone 'UTC')::date::text as day, coalesce(country, '') as country, status,
               count(*)::text as messages, sum(segments)::text as segments, sum(cost)::numeric(20, 5)::text as cost
        from messages
        group by 1, 2, 3, 4, 5, 6
        order by 1, 2, 3, 4, 5, 6`,
  );
  return { aggregated, recount };
}

async function expectExact() {
  const { aggregated, recount } = await aggregatesAndRecount();
  expect(aggregated).toEqual(recount);
}

async function expectSameAnswers(scope: MessageScope, queries: Record<string, string>[]) {
  for (const query of queries) {
    const stats = statsQuery.safeParse(query);
    if (!stats.success) continue;
    const pairs: unknown[][] = [
      [await smsStats(t.db, scope, stats.data), await smsStats(t.db, scope, stats.data, { scan: true })],
      [await statsByCountry(t.db, scope, stats.data), await statsByCountry(t.db, scope, stats.data, { scan: true })],
    ];
    const daily = dailyStatsQuery.safeParse(query);
    if (daily.success) pairs.push([await dailyStats(t.db, scope, daily.data), await dailyStats(t.db, scope, daily.data, { scan: true })]);
    for (const [fromAggregates, fromScan] of pairs)
      expect(JSON.stringify(fromAggregates), JSON.stringify(query)).toBe(JSON.stringify(fromScan));
  }
}

let runs = 0;

async function apply(ws: { id: number; live: string; test: string }, op: Op, deps: LifecycleDeps) {
  const mine = async (statuses?: MessageStatus[]) =>
    (
      await t.db
        .select({ id: messages.id, messageId: messages.messageId, status: messages.status })
        .from(messages)
        .where(eq(messages.workspaceId, ws.id))
    )
      .filter((m) => !statuses || statuses.includes(m.status))
      .sort((a, b) => a.id - b.id);
  switch (op.kind) {
    case "send": {
      const res = await send({
        key: op.mode === "live" ? ws.live : ws.test,
        body: { to: op.to.map((i) => RECIPIENTS[i]), message: op.long ? "x".repeat(200) : "Hello", sender_id: "Acme" },
      });
      expect(res.status).toBe(200);
      return;
    }
    case "backdated":
      await insertMessages(
        t.db,
        op.rows.map((r) =>
          messageRow(ws.id, {
            mode: r.mode,
            source: r.source,
            country: r.country,
            recipient: r.country === "US" ? NUMBERS.US : NUMBERS.GB,
            status: r.status,
            segments: r.segments,
            cost: r.status === "failed" ? "0" : (r.cents / 1000).toFixed(5),
            createdAt: new Date(noonDaysAgo(r.daysAgo).getTime() + (r.cents % 40) * 3600_000 - 20 * 3600_000),
          }),
        ),
      );
      return;
    case "submit": {
      const pending = await mine(["pending"]);
      if (pending.length === 0) return;
      const refuse = (i: number) => op.refuse[i % op.refuse.length];
      await handleSubmitJob({ ...deps, carriers: { live: carrier(refuse), test: carrier(refuse) } }, { ids: pending.map((m) => m.id) });
      return;
    }
    case "report": {
      const all = await mine();
      if (all.length === 0) return;
      const reports = op.picks.map((p, i) => ({
        messageId: all[p % all.length].messageId,
        status: op.statuses[i % op.statuses.length],
        statusCode: "000",
      }));
      await handleReportJob(deps, { reports });
      return;
    }
    case "finalize":
      await finalizeStuckMessages(deps, Date.now() + STUCK_AFTER_MS + 3600_000);
      return;
    case "prune":
      await pruneSandboxMessages(t.db, Date.now() + 25 * 3600_000);
      return;
    case "bulkUpdate": {
      const all = await mine();
      if (all.length === 0) return;
      const ids = [...new Set(op.picks.map((p) => all[p % all.length].id))];
      await t.db
        .update(messages)
        .set({ status: op.status, cost: (op.cents / 1000).toFixed(5) })
        .where(inArray(messages.id, ids));
      return;
    }
    case "deleteSome": {
      const all = await mine();
      if (all.length === 0) return;
      await t.db.delete(messages).where(inArray(messages.id, [...new Set(op.picks.map((p) => all[p % all.length].id))]));
      return;
    }
    case "fold":
      await foldMessageStats(t.db, op.batch);
      return;
  }
}

describe("running aggregates", () => {
  it("equal a full recount from messages, and answer every statistics query as the scan does, after any mix of traffic", async () => {
    const deps: LifecycleDeps = { ...jobs, db: t.db };
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 14 }),
        fc.array(queryArb, { minLength: 4, maxLength: 8 }),
        async (ops, queries) => {
          const ws = await makeWorkspace(t, `Aggregates ${++runs}`, "1000");
          for (const op of ops) await apply(ws, op, deps);
          await expectExact();
          for (const mode of ["live", "test"] as const)
            await expectSameAnswers({ workspaceId: ws.id, mode }, [...FIXED_QUERIES, ...queries].map(toQuery));
          // Folded completely, nothing changes (and nothing is left to fold).
          await foldMessageStats(t.db);
          const [{ n }] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from message_stats_deltas`);
          expect(n).toBe(0);
          await expectExact();
          await expectSameAnswers({ workspaceId: ws.id, mode: "live" }, [...FIXED_QUERIES, ...queries].map(toQuery));
        },
      ),
      { numRuns: 25 },
    );
  }, 600_000);

  it("drop the rows that fall to zero when folded (every pending message of a day delivered)", async () => {
    const ws = await makeWorkspace(t, "Zero rows", "0");
    const [m] = await insertMessages(t.db, [messageRow(ws.id, { status: "pending", statusCode: null, country: "FR" })]);
    await foldMessageStats(t.db);
    await t.db.update(messages).set({ status: "DELIVRD" }).where(eq(messages.id, m.id));
    await foldMessageStats(t.db);
    const left = await rows<{ status: string; messages: string }>(
      t.db,
      sql`select status, messages::text from message_stats where workspace_id = ${ws.id} order by status`,
    );
    expect(left).toEqual([{ status: "DELIVRD", messages: "1" }]);
  });

  it("go with a deleted workspace (its messages' cascade writes no delta)", async () => {
    const ws = await makeWorkspace(t, "Deleted", "0");
    await insertMessages(t.db, [messageRow(ws.id), messageRow(ws.id, { status: "pending" })]);
    await t.db.delete(workspaces).where(eq(workspaces.id, ws.id));
    const [{ n }] = await rows<{ n: number }>(
      t.db,
      sql`select (select count(*) from message_stats where workspace_id = ${ws.id}) + (select count(*) from message_stats_deltas where workspace_id = ${ws.id}) as n`,
    );
    expect(Number(n)).toBe(0);
    await expectExact();
  });

  it("are rebuilt exactly by the migration's backfill from the messages stored before it", async () => {
    const ws = await makeWorkspace(t, "Backfill", "0");
    await insertMessages(t.db, [
      messageRow(ws.id, { createdAt: noonDaysAgo(3) }),
      messageRow(ws.id, { country: null, status: "failed", cost: "0" }),
      messageRow(ws.id, { mode: "test", source: "campaign", status: "sent" }),
    ]);
    const migration = readFileSync(path.join(process.cwd(), "db/migrations/0018_message_stats_triggers.sql"), "utf8");
    const backfill = migration.split("--> statement-breakpoint").at(-1)!;
    expect(backfill).toMatch(/INSERT INTO message_stats/);
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`delete from message_stats`);
      await tx.execute(sql`delete from message_stats_deltas`);
      await tx.execute(sql.raw(backfill));
    });
    await expectExact();
  });
});
