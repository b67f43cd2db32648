/**
 * The lifecycle's batch statements find their messages by unique key however
 * stale the table's statistics are. Statistics taken while few messages were
 * unfinished make the planner expect ONE row in the partial index
 * `messages_unfinished`; a status condition it can match to that index then
 * scans every unfinished message per batch (measured under send load: ~400 ms
 * per batch UPDATE). Checked on the plans themselves, not on timings.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { toDriverParam } from "@/db/client";
import type { ApiRuntime } from "@/lib/api/runtime";
import type { Jobs } from "@/lib/runtime/jobs";
import type { TestDatabase } from "@/tests/db";
import { gbNumber, makeWorkspace, recordingDb, send, setupSms, teardownSms } from "@/tests/sms";
import { handleReportJob, handleSubmitJob } from "./lifecycle";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
});

afterAll(() => teardownSms({ t, runtime, jobs }));

it("plans no scan of messages_unfinished for a submit batch or a report list, with statistics taken before the messages became unfinished", async () => {
  const ws = await makeWorkspace(t, "Plans", "0");
  // A table of finished messages, analyzed: the statistics now say nothing is unfinished.
  await t.db.execute(sql`
    insert into messages (message_id, workspace_id, mode, recipient, country, sender_id, body, encoding, segments, cost, currency, status, status_code, created_at)
    select 'api_' || ${ws.id} || '_' || g || '_done', ${ws.id}, 'test', '+447400000001', 'GB', 'Acme', 'Done', 'GSM-7', 1, 0, 'EUR', 'DELIVRD', '000', now() - interval '1 hour'
    from generate_series(1, 50000) g`);
  await t.db.execute(sql`analyze messages`);
  // Then many unfinished ones, which the statistics do not know about.
  await t.db.execute(sql`
    insert into messages (message_id, workspace_id, mode, recipient, country, sender_id, body, encoding, segments, cost, currency, status, created_at)
    select 'api_' || ${ws.id} || '_' || g || '_open', ${ws.id}, 'test', '+447400000002', 'GB', 'Acme', 'Open', 'GSM-7', 1, 0, 'EUR', 'sent', now()
    from generate_series(1, 5000) g`);
  const res = await send({
    key: ws.test,
    body: { to: Array.from({ length: 20 }, (_, i) => gbNumber(i)), message: "Plans", sender_id: "Acme" },
  });
  expect(res.status).toBe(200);
  const pending = await t.db.select({ id: messages.id }).from(messages).where(eq(messages.status, "pending"));

  const recording = recordingDb(t);
  await handleSubmitJob({ ...jobs, db: recording.db }, { ids: pending.map((m) => m.id) });
  const open = Array.from({ length: 50 }, (_, i) => ({
    messageId: `api_${ws.id}_${i + 1}_open`,
    status: "DELIVRD" as const,
    statusCode: "000",
  }));
  await handleReportJob({ ...jobs, db: recording.db }, { reports: open });
  expect((await t.db.select().from(messages).where(eq(messages.messageId, open[0].messageId)))[0].status).toBe("DELIVRD");

  const onMessages = recording.statements.filter((s) => /^(select|update)\b[\s\S]*"messages"/i.test(s.query.trim()));
  expect(onMessages.length).toBeGreaterThanOrEqual(3); // read the batch, mark it sent, apply the reports
  for (const { query, params } of onMessages) {
    const plan = (await t.database.query(`explain ${query}`, params.map(toDriverParam))).rows
      .map((r) => String(Object.values(r)[0]))
      .join("\n");
    expect(plan, query).not.toContain("messages_unfinished");
    expect(plan, query).not.toMatch(/Seq Scan on messages/);
  }
});
