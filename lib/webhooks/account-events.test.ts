/**
 * Account events end to end (docs/api-v1.md §5, ours): balance.low once per
 * crossing under concurrent debits, key.expiring / key.expired exactly once
 * however often and on however many instances the job runs, key.revoked and
 * key.rolled from the keys API and the portal, nothing without a subscription,
 * test keys' events by the test settings; delivered by the real worker, signed.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as logsRoute from "@/app/api/v1/user/webhooks/logs/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import { openDatabase, type Database } from "@/db/client";
import { apiKeys, webhookDeliveries, workspaces, type AccountEvent, type EventType } from "@/db/schema";
import { ACCOUNT_EVENT_SCHEMAS } from "@/lib/api/v1/account-events";
import { topUp } from "@/lib/billing/top-up";
import { announceKeyExpiry } from "@/lib/keys/expiry-events";
import { keyActions } from "@/lib/portal/key-actions";
import { QUEUES } from "@/lib/queue/queue";
import { contextFor } from "@/lib/workspaces/context";
import { callApi, makeKey } from "@/tests/api";
import { countryRates, makeWorkspace, NUMBERS, rows, send, setupSms, teardownSms, type SmsEnv } from "@/tests/sms";
import { eventually, startReceiver, type Receiver } from "@/tests/webhook-receiver";
import { handleDeliveryJob } from "./deliver";
import { updateWebhookSettings } from "./settings";

process.env.WEBHOOKS_ALLOW_PRIVATE = "true";

const SECRET = "account-events-secret";
const DEFAULT_EVENTS: EventType[] = ["delivery", "click", "impression", "conversion"];

let env: SmsEnv;
let receiver: Receiver;
let second: Database | null = null;

beforeAll(async () => {
  env = await setupSms();
  receiver = await startReceiver();
  const { queue } = env.jobs;
  await queue.boss.work(QUEUES.webhookDeliver, { pollingIntervalSeconds: 0.5, batchSize: 20 }, async (jobs) => {
    for (const job of jobs) await handleDeliveryJob(env.t.db, queue, job.data);
  });
}, 60_000);

afterAll(async () => {
  await second?.close();
  await receiver?.close();
  await teardownSms(env);
});

const ownerCtx = (workspaceId: number) => contextFor(env.t.db, env.t.seed.userIds.owner, workspaceId);

async function subscribe(workspaceId: number, events: EventType[], mode: "live" | "test" = "live", url = receiver.url) {
  await updateWebhookSettings(env.t.db, await ownerCtx(workspaceId), mode, { urls: { delivery: url }, events, signingSecret: SECRET });
}

/** The webhook-deliver jobs enqueued for one event type (and key), as the queue holds them. */
async function enqueued(event: AccountEvent, o: { workspaceId?: number; keyId?: string } = {}) {
  const list = await rows<{ data: { workspaceId: number; keyId: string | null; mode: string; payload: Record<string, unknown> } }>(
    env.t.db,
    sql`select data from pgboss.job where name = ${QUEUES.webhookDeliver} and data->>'event' = ${event} order by created_on`,
  );
  return list
    .map((r) => r.data)
    .filter((d) => (o.workspaceId === undefined || d.workspaceId === o.workspaceId) && (o.keyId === undefined || d.keyId === o.keyId));
}

/** What the receiver got for one event type, parsed, with the signature checked against the workspace's secret. */
function received(event: AccountEvent, workspaceId: number) {
  return receiver.requests
    .map((r) => ({ r, body: JSON.parse(r.body) as Record<string, unknown> }))
    .filter(({ body }) => body.event === event && body.workspace_id === workspaceId)
    .map(({ r, body }) => {
      const expected = "sha256=" + createHmac("sha256", SECRET).update(`${r.headers["x-webhook-timestamp"]}.${r.body}`).digest("hex");
      const given = String(r.headers["x-webhook-signature"] ?? "");
      expect(given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected)), "signature verifies").toBe(
        true,
      );
      return body;
    });
}

const units = (n: bigint) => `${n / 100000n}.${String(n % 100000n).padStart(5, "0")}`;

describe("balance.low", () => {
  it("is sent once when concurrent debits cross the threshold, and again after a top-up above it and a new crossing", async () => {
    const rate = (await countryRates(env.t.db)).get("GB")!;
    // One message costs `rate`: the threshold is 10 messages, the balance 3 above it.
    const ws = await makeWorkspace(env.t, "Low balance crossing", units(13n * rate));
    await env.t.db
      .update(workspaces)
      .set({ lowBalanceThreshold: units(10n * rate) })
      .where(eq(workspaces.id, ws.id));
    await subscribe(ws.id, [...DEFAULT_EVENTS, "balance.low"]);
    const one = (i: number) => send({ key: ws.live, body: { to: [NUMBERS.GB], message: `Debit ${i}`, sender_id: "Acme" } });

    // 8 at once: the 3rd to commit crosses (13 → 10 messages' worth), the 5 after it are below already.
    const first = await Promise.all(Array.from({ length: 8 }, (_, i) => one(i)));
    expect(first.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await enqueued("balance.low", { workspaceId: ws.id })).toHaveLength(1);

    // Another debit below the threshold: no new crossing.
    expect((await one(100)).status).toBe(200);
    expect(await enqueued("balance.low", { workspaceId: ws.id })).toHaveLength(1);

    // Back above it (10 - 6 + 8 = 12 messages' worth), then 6 at once cross it again: one more.
    await topUp(env.t.db, await ownerCtx(ws.id), { workspaceId: ws.id, amount: units(8n * rate), idempotencyKey: "back-above" });
    const again = await Promise.all(Array.from({ length: 6 }, (_, i) => one(200 + i)));
    expect(again.map((r) => r.status)).toEqual(Array(6).fill(200));
    const jobs = await enqueued("balance.low", { workspaceId: ws.id });
    expect(jobs).toHaveLength(2);

    const bodies = await eventually(async () => {
      const got = received("balance.low", ws.id);
      return got.length === 2 && got;
    });
    for (const body of bodies) {
      expect(ACCOUNT_EVENT_SCHEMAS["balance.low"].parse(body)).toEqual(body);
      expect(body).toMatchObject({ mode: "live", threshold: Number(units(10n * rate)), currency: "EUR" });
      expect(body.balance as number).toBeLessThanOrEqual(body.threshold as number);
      expect(body.balance as number).toBeGreaterThan((body.threshold as number) - Number(units(rate)));
    }
    expect(new Set(bodies.map((b) => b.event_id)).size).toBe(2);
    // The log shows them with their type (each attempt is logged just after the receiver answered).
    await eventually(async () => {
      const logged = await env.t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.workspaceId, ws.id));
      return logged.filter((l) => l.event === "balance.low" && l.success).length === 2;
    });
  });

  it("is not sent to a workspace that does not subscribe (the default)", async () => {
    const rate = (await countryRates(env.t.db)).get("GB")!;
    const ws = await makeWorkspace(env.t, "Low balance unsubscribed", units(3n * rate));
    await env.t.db
      .update(workspaces)
      .set({ lowBalanceThreshold: units(2n * rate) })
      .where(eq(workspaces.id, ws.id));
    await subscribe(ws.id, DEFAULT_EVENTS);
    for (let i = 0; i < 2; i++) {
      expect((await send({ key: ws.live, body: { to: [NUMBERS.GB], message: `Debit ${i}`, sender_id: "Acme" } })).status).toBe(200);
    }
    expect(await enqueued("balance.low", { workspaceId: ws.id })).toHaveLength(0);
  });
});

describe("key.revoked and key.rolled", () => {
  it("are sent for the keys API's and the portal's revoke and roll, one key.revoked per key revoked with its parent", async () => {
    const ws = await makeWorkspace(env.t, "Key events", "1.00000");
    await subscribe(ws.id, [...DEFAULT_EVENTS, "key.revoked", "key.rolled"]);
    const caller = await makeKey(env.t, { name: "Caller" }, ws.id);
    const apiKey = await makeKey(env.t, { name: "Rolled by API", expiresAt: new Date("2099-01-01T00:00:00Z") }, ws.id);
    const portalKey = await makeKey(env.t, { name: "Portal key" }, ws.id);

    const rolled = await callApi(rollRoute.POST, {
      method: "POST",
      path: `/api/v1/keys/${apiKey.key.id}/roll`,
      key: caller.secret,
      body: { expires_in_seconds: 3600 },
      params: { id: apiKey.key.id },
    });
    expect(rolled.status).toBe(200);
    // A key the rolled key creates: revoking its parent revokes it too.
    const child = await callApi(keysRoute.POST, {
      method: "POST",
      path: "/api/v1/keys",
      key: rolled.body.secret,
      body: { name: "Child", permissions: ["sms.send"] },
    });
    expect(child.status).toBe(201);
    const childId: string = child.body.id;
    const revoked = await callApi(keyRoute.DELETE, {
      method: "DELETE",
      path: `/api/v1/keys/${apiKey.key.id}`,
      key: caller.secret,
      params: { id: apiKey.key.id },
    });
    expect(revoked.status).toBe(200);

    const context = await ownerCtx(ws.id);
    const portalEnv = { db: env.t.db, context, queue: async () => env.jobs.queue };
    expect((await keyActions.roll(portalEnv, { id: portalKey.key.id, graceSeconds: 0 })).ok).toBe(true);
    expect((await keyActions.revoke(portalEnv, { id: portalKey.key.id })).ok).toBe(true);

    expect(await enqueued("key.rolled", { workspaceId: ws.id, keyId: apiKey.key.id })).toHaveLength(1);
    expect(await enqueued("key.rolled", { workspaceId: ws.id, keyId: portalKey.key.id })).toHaveLength(1);
    expect(await enqueued("key.revoked", { workspaceId: ws.id, keyId: apiKey.key.id })).toHaveLength(1);
    expect(await enqueued("key.revoked", { workspaceId: ws.id, keyId: childId })).toHaveLength(1);
    expect(await enqueued("key.revoked", { workspaceId: ws.id, keyId: portalKey.key.id })).toHaveLength(1);

    const revokedBodies = await eventually(async () => {
      const got = received("key.revoked", ws.id);
      return got.length === 3 && got;
    });
    const rolledBodies = await eventually(async () => {
      const got = received("key.rolled", ws.id);
      return got.length === 2 && got;
    });
    for (const body of revokedBodies) expect(ACCOUNT_EVENT_SCHEMAS["key.revoked"].parse(body)).toEqual(body);
    for (const body of rolledBodies) expect(ACCOUNT_EVENT_SCHEMAS["key.rolled"].parse(body)).toEqual(body);
    expect(revokedBodies.find((b) => b.key_id === childId)).toMatchObject({ revoked_with: apiKey.key.id, key_name: "Child" });
    const apiRolled = rolledBodies.find((b) => b.key_id === apiKey.key.id)!;
    expect(apiRolled).toMatchObject({ key_name: "Rolled by API", key_expires_at: "2099-01-01T00:00:00.000Z", mode: "live" });
    expect(apiRolled.previous_secret_expires_at).toEqual(expect.any(String));
    // Never a secret or a hash: the display form only, as the keys list shows it.
    const [row] = await env.t.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.key.id));
    expect(apiRolled.key_display).toBe(`${rolled.body.start}…${rolled.body.last4}`);
    expect(row.start).toBe(rolled.body.start);
    // The delivery log (GET /user/webhooks/logs) lists them with their type, and filters by it.
    const log = await eventually(async () => {
      const res = await callApi(logsRoute.GET, {
        path: "/api/v1/user/webhooks/logs?event=key.revoked&limit=100",
        key: caller.secret,
      });
      return res.body.total === 3 && res;
    });
    expect(log.body.logs.every((l: { event: string; success: boolean }) => l.event === "key.revoked" && l.success)).toBe(true);
    for (const body of [...revokedBodies, ...rolledBodies]) {
      const text = JSON.stringify(body);
      expect(text).not.toContain(row.hash);
      expect(text).not.toContain(caller.secret);
      expect(text).not.toMatch(/sk_(prod|test)_[A-Za-z0-9]{20,}/);
    }
  });

  it("go nowhere when the workspace does not subscribe", async () => {
    const ws = await makeWorkspace(env.t, "Key events unsubscribed", "1.00000");
    await subscribe(ws.id, DEFAULT_EVENTS);
    const k = await makeKey(env.t, { name: "Quiet" }, ws.id);
    const portalEnv = { db: env.t.db, context: await ownerCtx(ws.id), queue: async () => env.jobs.queue };
    expect((await keyActions.revoke(portalEnv, { id: k.key.id })).ok).toBe(true);
    expect(await enqueued("key.revoked", { workspaceId: ws.id })).toHaveLength(0);
  });

  it("of a test key go by the test settings, never the live ones", async () => {
    const ws = await makeWorkspace(env.t, "Key events test mode", "1.00000");
    const testReceiver = await startReceiver();
    try {
      await subscribe(ws.id, [...DEFAULT_EVENTS, "key.revoked"], "live");
      await subscribe(ws.id, [...DEFAULT_EVENTS, "key.revoked"], "test", testReceiver.url);
      const k = await makeKey(env.t, { name: "Sandbox", mode: "test" }, ws.id);
      const portalEnv = { db: env.t.db, context: await ownerCtx(ws.id), queue: async () => env.jobs.queue };
      expect((await keyActions.revoke(portalEnv, { id: k.key.id })).ok).toBe(true);
      const [job] = await enqueued("key.revoked", { workspaceId: ws.id, keyId: k.key.id });
      expect(job).toMatchObject({ mode: "test", payload: { mode: "test", key_id: k.key.id } });
      await eventually(async () => testReceiver.requests.length === 1);
      expect(received("key.revoked", ws.id)).toHaveLength(0);
    } finally {
      await testReceiver.close();
    }
  });
});

describe("key.expiring and key.expired", () => {
  it("are each sent once per key, however often and on however many instances the job runs at once", async () => {
    const ws = await makeWorkspace(env.t, "Key expiry", "1.00000");
    await subscribe(ws.id, [...DEFAULT_EVENTS, "key.expiring", "key.expired"]);
    const now = new Date();
    const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
    const week = await makeKey(env.t, { name: "In six days", expiresAt: inDays(6) }, ws.id);
    const day = await makeKey(env.t, { name: "In twelve hours", expiresAt: inDays(0.5) }, ws.id);
    const far = await makeKey(env.t, { name: "In a month", expiresAt: inDays(30) }, ws.id);
    const gone = await makeKey(env.t, { name: "Expired", expiresAt: inDays(1) }, ws.id);
    await env.t.db
      .update(apiKeys)
      .set({ expiresAt: new Date(now.getTime() - 60_000) })
      .where(eq(apiKeys.id, gone.key.id));

    // Two instances (two connection pools when on Postgres), twice each, at the same time; then again.
    second = env.t.url ? await openDatabase({ url: env.t.url, max: 4 }) : null;
    const other = second?.db ?? env.t.db;
    const { queue } = env.jobs;
    await Promise.all([
      announceKeyExpiry(env.t.db, queue, now),
      announceKeyExpiry(other, queue, now),
      announceKeyExpiry(env.t.db, queue, now),
      announceKeyExpiry(other, queue, now),
    ]);
    await announceKeyExpiry(env.t.db, queue, now);

    const expiring = async (keyId: string) => (await enqueued("key.expiring", { keyId })).map((j) => j.payload.expires_in_days);
    expect(await expiring(week.key.id)).toEqual([7]);
    expect(await expiring(day.key.id)).toEqual([1]);
    expect(await expiring(far.key.id)).toEqual([]);
    expect(await enqueued("key.expired", { keyId: gone.key.id })).toHaveLength(1);
    expect(await enqueued("key.expiring", { keyId: gone.key.id })).toHaveLength(0);

    // Five days on: the six-day key is one day away (its 1-day notice, once); the twelve-hour one has expired.
    const later = inDays(5.5);
    await Promise.all([announceKeyExpiry(env.t.db, queue, later), announceKeyExpiry(other, queue, later)]);
    await announceKeyExpiry(env.t.db, queue, later);
    expect(await expiring(week.key.id)).toEqual([7, 1]);
    expect(await enqueued("key.expired", { keyId: day.key.id })).toHaveLength(1);
    expect(await enqueued("key.expired", { keyId: gone.key.id })).toHaveLength(1);

    const bodies = await eventually(async () => {
      const got = [...received("key.expiring", ws.id), ...received("key.expired", ws.id)];
      return got.length === 5 && got;
    });
    for (const body of bodies) {
      const schema = ACCOUNT_EVENT_SCHEMAS[body.event as "key.expiring" | "key.expired"];
      expect(schema.parse(body)).toEqual(body);
    }
    expect(bodies.find((b) => b.key_id === week.key.id && b.expires_in_days === 7)).toMatchObject({
      key_name: "In six days",
      key_expires_at: inDays(6).toISOString(),
    });
  });
});
