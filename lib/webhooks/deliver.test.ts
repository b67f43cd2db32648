/**
 * Delivery webhooks end to end (docs/api-v1.md §5): enqueued in the message's
 * transaction, delivered by the job queue's worker to a local receiver, signed,
 * retried (3 attempts in all), every attempt logged; a key's postback URL wins
 * over the workspace's; a URL that became unsafe is refused at delivery time.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbOrTx } from "@/db";
import { messages, webhookDeliveries } from "@/db/schema";
import { QUEUES, startQueue, type Queue } from "@/lib/queue/queue";
import { contextFor } from "@/lib/workspaces/context";
import { makeKey } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { eventually, startReceiver, type Receiver } from "@/tests/webhook-receiver";
import { deliverOnce, enqueueDeliveryWebhook, handleDeliveryJob, WEBHOOK_USER_AGENT } from "./deliver";
import { DEFAULT_FIELDS } from "./fields";
import { updateWebhookSettings, type WebhookSettingsPatch } from "./settings";

// The receivers listen on 127.0.0.1; retries 100 ms then 200 ms apart instead of 10 s and 30 s.
process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
process.env.WEBHOOK_RETRY_DELAYS_MS = "100,200";

let t: TestDatabase;
let queue: Queue;
const receivers: Receiver[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  queue = await startQueue(t.database, { schedule: false });
  await queue.boss.work(QUEUES.webhookDeliver, { pollingIntervalSeconds: 0.5 }, async ([job]) => handleDeliveryJob(t.db, queue, job.data));
}, 60_000);

afterAll(async () => {
  await queue?.stop();
  await Promise.all(receivers.map((r) => r.close()));
  await t?.close();
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

async function configure(patch: WebhookSettingsPatch, workspaceId = t.seed.mainWorkspaceId, mode: "live" | "test" = "live") {
  return updateWebhookSettings(t.db, await contextFor(t.db, t.seed.userIds.owner, workspaceId), mode, patch);
}

/** A message that just got its final status, enqueued in that same transaction as the SMS lifecycle does. */
async function finalMessage(
  o: {
    keyId?: string | null;
    status?: "DELIVRD" | "UNDELIV" | "REJECTD";
    statusCode?: string;
    workspaceId?: number;
    mode?: "live" | "test";
  } = {},
) {
  const workspaceId = o.workspaceId ?? t.seed.mainWorkspaceId;
  const deliveredAt = new Date("2026-02-13T10:30:00Z");
  return t.db.transaction(async (tx) => {
    const [message] = await tx
      .insert(messages)
      .values({
        messageId: `api_${workspaceId}_${Date.now()}000000_${randomBytes(8).toString("hex")}`,
        workspaceId,
        keyId: o.keyId ?? null,
        mode: o.mode ?? "live",
        recipient: "+14155551234",
        country: "US",
        senderId: "Acme",
        body: "hello",
        encoding: "GSM-7",
        segments: 2,
        cost: "0.01700",
        currency: "EUR",
        status: o.status ?? "DELIVRD",
        statusCode: o.statusCode ?? "000",
        carrierMessageId: "carrier-123",
        sentAt: deliveredAt,
        deliveredAt,
      })
      .returning();
    await enqueueDeliveryWebhook(tx, queue, message);
    return message;
  });
}

const attemptsOf = (messageId: string) =>
  t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.messageId, messageId)).orderBy(asc(webhookDeliveries.attempt));

async function waitForAttempts(messageId: string, n: number) {
  return eventually(
    async () => {
      const rows = await attemptsOf(messageId);
      return rows.length >= n ? rows : undefined;
    },
    20_000,
    `${n} attempt(s) of ${messageId}`,
  );
}

/** Jobs of this message in the queue, in any of `states` (all states when none given), as `db` sees them. */
async function jobsOf(messageId: string, states?: string[], db: DbOrTx = t.db): Promise<number> {
  const stateFilter = states
    ? sql` and state in (${sql.join(
        states.map((s) => sql`${s}`),
        sql`, `,
      )})`
    : sql``;
  const result = (await db.execute(
    sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.webhookDeliver} and data->>'messageId' = ${messageId}${stateFilter}`,
  )) as unknown;
  const rows = Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows;
  return rows[0].n;
}

/** Jobs still waiting or running for this message: none once its last attempt is logged. */
async function pendingJobs(messageId: string): Promise<number> {
  // The attempt's own job is marked completed by pg-boss just after its log row commits: wait for that, not a fixed time.
  await eventually(async () => (await jobsOf(messageId, ["active"])) === 0, 10_000, `the running job of ${messageId} to finish`);
  return jobsOf(messageId, ["created", "retry", "active"]);
}

/** The receiver's own check, written here rather than imported, as a customer would write it. */
function verify(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: string): boolean {
  const timestamp = String(headers["x-webhook-timestamp"]);
  const expected = Buffer.from(
    "sha256=" +
      createHmac("sha256", secret)
        .update(timestamp + "." + rawBody)
        .digest("hex"),
  );
  const given = Buffer.from(String(headers["x-webhook-signature"] ?? ""));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("a delivery event", () => {
  it("reaches the workspace's delivery_url with the default fields, signed, and is logged once", async () => {
    const r = await receiver();
    const secret = "whsec_" + randomBytes(16).toString("hex");
    await configure({ urls: { delivery: r.url }, signingSecret: secret });
    const message = await finalMessage();
    const [row] = await waitForAttempts(message.messageId, 1);

    expect(r.requests).toHaveLength(1);
    const req = r.requests[0];
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["user-agent"]).toBe(WEBHOOK_USER_AGENT);
    const timestamp = Number(req.headers["x-webhook-timestamp"]);
    expect(Number.isInteger(timestamp)).toBe(true);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(verify(secret, req.headers, req.body)).toBe(true);
    expect(verify("another secret", req.headers, req.body)).toBe(false);
    expect(verify(secret, req.headers, req.body.replace("DELIVRD", "UNDELIV"))).toBe(false);

    const payload = JSON.parse(req.body);
    expect(Object.keys(payload)).toEqual([
      "message_id",
      "recipient",
      "sender_id",
      "status",
      "status_code",
      "num_parts",
      "cost",
      "timestamp",
    ]);
    expect(payload).toEqual({
      message_id: message.messageId,
      recipient: "+14155551234",
      sender_id: "Acme",
      status: "DELIVRD",
      status_code: "000",
      num_parts: 2,
      cost: 0.017,
      timestamp: "2026-02-13T10:30:00.000Z",
    });
    expect(row).toMatchObject({
      workspaceId: t.seed.mainWorkspaceId,
      event: "delivery",
      url: r.url,
      attempt: 1,
      success: true,
      responseStatus: 200,
      error: null,
    });
    expect(row.durationMs).toBeGreaterThanOrEqual(0);
    expect(await pendingJobs(message.messageId)).toBe(0);
  });

  it("carries exactly the chosen fields, telecom_message_id and workspace_id included when chosen", async () => {
    const r = await receiver();
    await configure({ urls: { delivery: r.url }, fields: { delivery: ["workspace_id", "message_id", "telecom_message_id", "status"] } });
    const message = await finalMessage({ status: "UNDELIV" });
    await waitForAttempts(message.messageId, 1);
    // Catalog order, whatever order they were chosen in.
    expect(r.requests[0].body).toBe(
      JSON.stringify({
        message_id: message.messageId,
        telecom_message_id: "carrier-123",
        status: "UNDELIV",
        workspace_id: t.seed.mainWorkspaceId,
      }),
    );
    await configure({
      fields: { delivery: ["message_id", "recipient", "sender_id", "status", "status_code", "num_parts", "cost", "timestamp"] },
    });
  });

  it("carries failure (ours, a default field) for a message that was not delivered, and no such key for a delivered one", async () => {
    const r = await receiver();
    await configure({ urls: { delivery: r.url }, fields: { delivery: [...DEFAULT_FIELDS.delivery] } });
    expect(DEFAULT_FIELDS.delivery).toContain("failure");
    const rejected = await finalMessage({ status: "REJECTD", statusCode: "005" });
    const delivered = await finalMessage();
    await waitForAttempts(rejected.messageId, 1);
    await waitForAttempts(delivered.messageId, 1);
    const payloadOf = (id: string) => JSON.parse(r.requests.find((q) => JSON.parse(q.body).message_id === id)!.body);

    const undelivered = payloadOf(rejected.messageId);
    expect(Object.keys(undelivered)).toEqual([...DEFAULT_FIELDS.delivery]);
    expect(undelivered).toMatchObject({ status: "REJECTD", status_code: "005" });
    expect(undelivered.failure).toEqual({
      category: "blocked_by_recipient",
      retryable: false,
      description: "The recipient has blocked messages from this sender (they opted out).",
      action: "Do not send to this number again unless the recipient opts back in.",
    });
    const ok = payloadOf(delivered.messageId);
    expect(ok.status).toBe("DELIVRD");
    expect(Object.keys(ok)).toEqual(DEFAULT_FIELDS.delivery.filter((f) => f !== "failure"));
  });

  it("is unsigned (no X-Webhook-Signature) when the workspace has no secret", async () => {
    const r = await receiver();
    await configure({ urls: { delivery: r.url }, clearSigningSecret: true });
    const message = await finalMessage();
    await waitForAttempts(message.messageId, 1);
    expect(r.requests[0].headers["x-webhook-signature"]).toBeUndefined();
    expect(r.requests[0].headers["x-webhook-timestamp"]).toMatch(/^\d+$/);
  });

  it("is retried after failures: 500, 500, then 200 gives three attempts, all logged", async () => {
    const r = await receiver((n) => (n < 2 ? 500 : 200));
    await configure({ urls: { delivery: r.url } });
    const message = await finalMessage();
    const rows = await waitForAttempts(message.messageId, 3);
    expect(rows.map((row) => [row.attempt, row.success, row.responseStatus])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 200],
    ]);
    expect(rows[0].error).toBe("HTTP 500");
    // Each failed attempt logs when the next is due (the schedule the Webhooks page shows); the success, none.
    expect(rows[0].nextAttemptAt!.getTime() - rows[0].createdAt.getTime()).toBeGreaterThanOrEqual(90);
    expect(rows[1].nextAttemptAt!.getTime()).toBeGreaterThan(rows[0].nextAttemptAt!.getTime());
    expect(rows[2].nextAttemptAt).toBeNull();
    expect(r.requests).toHaveLength(3);
    // The same event each time (receivers dedupe on message_id), each attempt freshly timestamped.
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
    // The configured delays separate the attempts.
    expect(r.requests[1].at - r.requests[0].at).toBeGreaterThanOrEqual(100);
    expect(r.requests[2].at - r.requests[1].at).toBeGreaterThanOrEqual(200);
    expect(await pendingJobs(message.messageId)).toBe(0);
  });

  it("gives up after three attempts in all", async () => {
    const r = await receiver(() => 503);
    await configure({ urls: { delivery: r.url } });
    const message = await finalMessage();
    const rows = await waitForAttempts(message.messageId, 3);
    expect(rows.map((row) => row.success)).toEqual([false, false, false]);
    expect(rows.map((row) => row.nextAttemptAt === null)).toEqual([false, false, true]);
    // The last attempt enqueued nothing (it is logged in the transaction that would have).
    expect(await pendingJobs(message.messageId)).toBe(0);
    expect(await attemptsOf(message.messageId)).toHaveLength(3);
    expect(r.requests).toHaveLength(3);
  });

  it("goes to the key's own postback URL instead of the workspace's delivery_url", async () => {
    const workspaceReceiver = await receiver();
    const keyReceiver = await receiver();
    await configure({ urls: { delivery: workspaceReceiver.url } });
    const withPostback = await makeKey(t, { name: "postback key", postbackUrl: keyReceiver.url });
    const without = await makeKey(t, { name: "plain key" });

    const viaKey = await finalMessage({ keyId: withPostback.key.id });
    const viaWorkspace = await finalMessage({ keyId: without.key.id });
    const [keyRow] = await waitForAttempts(viaKey.messageId, 1);
    const [workspaceRow] = await waitForAttempts(viaWorkspace.messageId, 1);

    expect(keyRow).toMatchObject({ url: keyReceiver.url, keyId: withPostback.key.id, success: true });
    expect(workspaceRow).toMatchObject({ url: workspaceReceiver.url, keyId: without.key.id, success: true });
    expect(keyReceiver.requests.map((q) => JSON.parse(q.body).message_id)).toEqual([viaKey.messageId]);
    expect(workspaceReceiver.requests.map((q) => JSON.parse(q.body).message_id)).toEqual([viaWorkspace.messageId]);
  });

  it("goes to the key's postback URL even when the workspace has no delivery_url; nowhere when neither is set", async () => {
    const keyReceiver = await receiver();
    await configure({ urls: { delivery: null } });
    const withPostback = await makeKey(t, { name: "postback only", postbackUrl: keyReceiver.url });
    const viaKey = await finalMessage({ keyId: withPostback.key.id });
    await waitForAttempts(viaKey.messageId, 1);
    expect(keyReceiver.requests).toHaveLength(1);

    const nowhere = await finalMessage();
    expect(await jobsOf(nowhere.messageId)).toBe(0);
  });

  it("of a sandbox message goes by the test settings (URL and secret), of a live one by the live settings; each logged under its mode", async () => {
    const liveReceiver = await receiver();
    const testReceiver = await receiver();
    await configure({ urls: { delivery: liveReceiver.url }, signingSecret: "live-secret" });
    await configure({ urls: { delivery: testReceiver.url }, signingSecret: "test-secret" }, t.seed.mainWorkspaceId, "test");

    const sandbox = await finalMessage({ mode: "test" });
    const real = await finalMessage({ mode: "live" });
    const [sandboxRow] = await waitForAttempts(sandbox.messageId, 1);
    const [realRow] = await waitForAttempts(real.messageId, 1);

    expect(sandboxRow).toMatchObject({ url: testReceiver.url, mode: "test", success: true });
    expect(realRow).toMatchObject({ url: liveReceiver.url, mode: "live", success: true });
    expect(testReceiver.requests.map((q) => JSON.parse(q.body).message_id)).toEqual([sandbox.messageId]);
    expect(liveReceiver.requests.map((q) => JSON.parse(q.body).message_id)).toEqual([real.messageId]);
    expect(verify("test-secret", testReceiver.requests[0].headers, testReceiver.requests[0].body)).toBe(true);
    expect(verify("live-secret", liveReceiver.requests[0].headers, liveReceiver.requests[0].body)).toBe(true);
    await configure({ urls: { delivery: null }, clearSigningSecret: true }, t.seed.mainWorkspaceId, "test");
  });

  it("is never enqueued when the message's transaction rolls back", async () => {
    const r = await receiver();
    await configure({ urls: { delivery: r.url } });
    let messageId = "";
    let jobsInTransaction: number | undefined;
    const rolledBack = t.db.transaction(async (tx) => {
      const [message] = await tx
        .insert(messages)
        .values({
          messageId: `api_rollback_${randomBytes(8).toString("hex")}`,
          workspaceId: t.seed.mainWorkspaceId,
          mode: "live",
          recipient: "+14155551234",
          senderId: "Acme",
          body: "x",
          encoding: "GSM-7",
          segments: 1,
          cost: "0",
          currency: "EUR",
          status: "DELIVRD",
        })
        .returning();
      messageId = message.messageId;
      await enqueueDeliveryWebhook(tx, queue, message);
      // Enqueued by the transaction's own statements: visible in it...
      jobsInTransaction = await jobsOf(messageId, undefined, tx);
      throw new Error("roll back");
    });
    await expect(rolledBack).rejects.toThrow("roll back");
    expect(jobsInTransaction).toBe(1);
    // ...and gone with it, with the message: nothing is delivered.
    expect(await jobsOf(messageId)).toBe(0);
    expect(await t.db.select().from(messages).where(eq(messages.messageId, messageId))).toEqual([]);
    expect(await attemptsOf(messageId)).toEqual([]);
    expect(r.requests).toHaveLength(0);
  });
});

describe("against DNS rebinding", () => {
  it("refuses at delivery time a URL saved while private addresses were allowed, logs the refusal, and does not retry", async () => {
    const r = await receiver();
    // Saved while allowed (as in local development): a name that points at this machine.
    await configure({ urls: { delivery: `http://localhost:${r.port}/hook` } });
    const saved = process.env.WEBHOOKS_ALLOW_PRIVATE;
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    try {
      const message = await finalMessage();
      const [row] = await waitForAttempts(message.messageId, 1);
      expect(row).toMatchObject({ attempt: 1, success: false, responseStatus: null });
      // The refusal is in the customer's webhook log: it never names the address the name resolved to.
      expect(row.error).toBe("refused: localhost resolves to a loopback address");
      expect(await pendingJobs(message.messageId)).toBe(0);
      expect(await attemptsOf(message.messageId)).toHaveLength(1);
      expect(r.requests).toHaveLength(0);
    } finally {
      process.env.WEBHOOKS_ALLOW_PRIVATE = saved;
    }
  });
});

describe("deliverOnce", () => {
  it("counts a receiver that takes longer than 5 s as failed", async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 6000 }));
    const result = await deliverOnce({ url: r.url, body: "{}" });
    expect(result).toMatchObject({ success: false, responseStatus: null, error: "timed out after 5 s" });
    expect(result.durationMs).toBeGreaterThanOrEqual(4900);
    expect(result.durationMs).toBeLessThan(6000);
  }, 15_000);

  it("never follows a redirect", async () => {
    const target = await receiver();
    const r = await receiver(() => ({ status: 302, headers: { location: target.url } }));
    const result = await deliverOnce({ url: r.url, body: "{}" });
    expect(result).toMatchObject({ success: false, responseStatus: 302, error: expect.stringContaining("redirects are not followed") });
    expect(target.requests).toHaveLength(0);
  });

  it("reports a refused connection as a short error", async () => {
    const r = await receiver();
    await r.close();
    const result = await deliverOnce({ url: r.url, body: "{}" });
    expect(result).toMatchObject({ success: false, responseStatus: null, error: "connection refused" });
  });

  it("accepts any 2xx", async () => {
    const r = await receiver(() => 204);
    expect(await deliverOnce({ url: r.url, body: "{}" })).toMatchObject({ success: true, responseStatus: 204, error: null });
  });
});
