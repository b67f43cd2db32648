/**
 * The Webhooks page's server actions against a real database (Postgres when
 * DATABASE_URL is set, else PGlite), called exactly as the browser path calls
 * them: webhookActions.x({ db, context }, rawFormValues).
 */
import { and, asc, count, eq, gt, max } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DemoSeed } from "@/db/seed";
import { auditEvents, memberships, organizations, users, webhookDeliveries, webhookSettings, workspaces } from "@/db/schema";
import type { ActionResult } from "@/lib/portal/define-action";
import type { Role } from "@/lib/permissions/catalog";
import { contextFor, type PortalContext } from "@/lib/workspaces/context";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { startReceiver, type Receiver } from "@/tests/webhook-receiver";
import { DEFAULT_FIELDS } from "@/lib/webhooks/fields";
import type { WebhookFormValues } from "@/lib/webhooks/form-schema";
import { attemptStatus, deliveryLogQuerySchema, listDeliveryLogs, periodStart, recordAttempt } from "@/lib/webhooks/logs";
import { getWebhookSettings, webhookSigningSecret } from "@/lib/webhooks/settings";
import { webhookSignature } from "@/lib/webhooks/deliver";
import { webhookActions } from "./webhook-actions";

let testDb: TestDatabase;
let db: Db;
let seed: DemoSeed;
const receivers: Receiver[] = [];

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
  testDb = await createTestDatabase();
  ({ db, seed } = testDb);
});

afterEach(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
  // Each test starts from a workspace that never saved webhook settings.
  await db.delete(webhookSettings);
  await db.delete(webhookDeliveries);
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await testDb?.close();
});

const ctxAs = (role: Role, workspaceId = seed.mainWorkspaceId) => contextFor(db, seed.userIds[role], workspaceId);

function values(over: Partial<WebhookFormValues> = {}): WebhookFormValues {
  return {
    deliveryUrl: "https://hooks.example.com/delivery",
    clickUrl: "",
    deliveryFields: [...DEFAULT_FIELDS.delivery] as WebhookFormValues["deliveryFields"],
    events: ["delivery", "click", "impression", "conversion"],
    signingSecret: "",
    ...over,
  };
}

function okData<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got "${result.error}" ${JSON.stringify(result.fieldErrors ?? {})}`);
  return result.data;
}

function refusal(result: ActionResult<unknown>): { error: string; fieldErrors?: Record<string, string> } {
  if (result.ok) throw new Error(`expected a refusal, got ok: ${JSON.stringify(result.data)}`);
  return result;
}

/** The workspace's webhooks.update events written after `afterId` (earlier tests' stay in the table). */
const webhookAudit = (workspaceId = seed.mainWorkspaceId, afterId = 0) =>
  db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.workspaceId, workspaceId), eq(auditEvents.action, "webhooks.update"), gt(auditEvents.id, afterId)))
    .orderBy(asc(auditEvents.id));

async function lastAuditId() {
  const [{ id }] = await db.select({ id: max(auditEvents.id) }).from(auditEvents);
  return Number(id ?? 0);
}

async function auditCount() {
  const [{ n }] = await db.select({ n: count() }).from(auditEvents);
  return n;
}

describe("saving", () => {
  it("saves the URLs and delivery fields as the live settings, with one audit event holding each changed field before and after", async () => {
    const context = await ctxAs("developer");
    const before = await auditCount();
    const since = await lastAuditId();
    const saved = okData(
      await webhookActions.save(
        { db, context },
        values({ clickUrl: " https://hooks.example.com/click ", deliveryFields: ["status", "message_id", "status"] }),
      ),
    );
    expect(saved).toMatchObject({
      deliveryUrl: "https://hooks.example.com/delivery",
      clickUrl: "https://hooks.example.com/click",
      // Catalog order, without duplicates: the payload's key order.
      deliveryFields: ["message_id", "status"],
      signingSecretSet: false,
    });
    const live = await getWebhookSettings(db, seed.mainWorkspaceId, "live");
    expect(live.urls).toMatchObject({ delivery: "https://hooks.example.com/delivery", click: "https://hooks.example.com/click" });
    // The test settings (the sandbox's) are not the portal's.
    expect((await getWebhookSettings(db, seed.mainWorkspaceId, "test")).urls.delivery).toBeNull();

    expect(await auditCount()).toBe(before + 1);
    const [event] = await webhookAudit(seed.mainWorkspaceId, since);
    expect(event.actorUserId).toBe(seed.userIds.developer);
    expect(event.changes).toEqual({
      deliveryUrl: { before: null, after: "https://hooks.example.com/delivery" },
      clickUrl: { before: null, after: "https://hooks.example.com/click" },
      deliveryFields: { before: [...DEFAULT_FIELDS.delivery], after: ["message_id", "status"] },
    });
  });

  it("a blank URL turns that event off; saving the same values again writes no audit event", async () => {
    const context = await ctxAs("owner");
    okData(await webhookActions.save({ db, context }, values({ clickUrl: "https://hooks.example.com/click" })));
    const off = okData(await webhookActions.save({ db, context }, values({ clickUrl: "   " })));
    expect(off.clickUrl).toBeNull();
    const before = await auditCount();
    okData(await webhookActions.save({ db, context }, values({ clickUrl: "" })));
    expect(await auditCount()).toBe(before);
  });

  it("refuses bad input by the field, with the API's messages, and writes nothing", async () => {
    const context = await ctxAs("owner");
    const before = await auditCount();
    const result = refusal(
      await webhookActions.save(
        { db, context },
        values({ deliveryUrl: "ftp://hooks.example.com", clickUrl: "not a url", deliveryFields: [], signingSecret: "x".repeat(65) }),
      ),
    );
    expect(result.fieldErrors).toEqual({
      deliveryUrl: "Delivery URL: must be an http or https URL",
      clickUrl: "Click URL: not a valid URL",
      deliveryFields: "Choose at least one field",
      signingSecret: "Signing secret must be a string of 1–64 characters",
    });
    const unknownField = refusal(await webhookActions.save({ db, context }, { ...values(), deliveryFields: ["password"] } as never));
    expect(unknownField.fieldErrors?.["deliveryFields.0"]).toBe("Choose fields from the list");
    expect(await auditCount()).toBe(before);
    expect(await db.select().from(webhookSettings)).toEqual([]);
  });

  it("(ours) chooses the events sent, the account events among them, with one audit event holding the list before and after", async () => {
    const context = await ctxAs("owner");
    const since = await lastAuditId();
    const saved = okData(await webhookActions.save({ db, context }, values({ events: ["key.revoked", "delivery", "balance.low"] })));
    expect(saved.events).toEqual(["delivery", "balance.low", "key.revoked"]);
    expect((await getWebhookSettings(db, seed.mainWorkspaceId, "live")).events).toEqual(["delivery", "balance.low", "key.revoked"]);
    const [first, second] = await webhookAudit(seed.mainWorkspaceId, since);
    expect(first.changes).toMatchObject({
      events: { before: ["delivery", "click", "impression", "conversion"], after: ["delivery", "balance.low", "key.revoked"] },
    });
    expect(second).toBeUndefined();
    // None at all is a choice too: nothing is sent.
    expect(okData(await webhookActions.save({ db, context }, values({ events: [] }))).events).toEqual([]);
    const unknown = refusal(await webhookActions.save({ db, context }, { ...values(), events: ["key.created"] } as never));
    expect(unknown.fieldErrors?.["events.0"]).toBe("Choose events from the list");
  });

  it("refuses a URL into our own network by the field (SSRF guard on), naming the kind of address, and writes nothing", async () => {
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    const context = await ctxAs("owner");
    const before = await auditCount();
    const result = refusal(await webhookActions.save({ db, context }, values({ clickUrl: "http://127.0.0.1:8080/hook" })));
    expect(result.fieldErrors).toEqual({ clickUrl: "Click URL: refused: 127.0.0.1 is a loopback address" });
    expect(await auditCount()).toBe(before);
    expect(await db.select().from(webhookSettings)).toEqual([]);
  });
});

describe("the signing secret", () => {
  it("is set, replaced and cleared, never readable through the actions or the audit log", async () => {
    const context = await ctxAs("admin");
    const since = await lastAuditId();
    const secret = "whsec-first-secret-value";
    const set = okData(await webhookActions.save({ db, context }, values({ signingSecret: secret })));
    expect(set.signingSecretSet).toBe(true);
    expect(new Date(set.signingSecretSetAt!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(set)).not.toContain(secret);
    // Stored encrypted, usable for signing.
    const [row] = await db.select().from(webhookSettings).where(eq(webhookSettings.workspaceId, seed.mainWorkspaceId));
    expect(row.signingSecretEncrypted).not.toContain(secret);
    expect(await webhookSigningSecret(db, seed.mainWorkspaceId, "live")).toBe(secret);

    // A blank field keeps it.
    const kept = okData(await webhookActions.save({ db, context }, values({ clickUrl: "https://hooks.example.com/c" })));
    expect(kept.signingSecretSet).toBe(true);
    expect(await webhookSigningSecret(db, seed.mainWorkspaceId, "live")).toBe(secret);

    const replaced = okData(
      await webhookActions.save({ db, context }, values({ clickUrl: "https://hooks.example.com/c", signingSecret: "whsec-second-secret" })),
    );
    expect(replaced.signingSecretSet).toBe(true);
    expect(await webhookSigningSecret(db, seed.mainWorkspaceId, "live")).toBe("whsec-second-secret");

    const cleared = okData(await webhookActions.clearSecret({ db, context }, {}));
    expect(cleared).toMatchObject({ signingSecretSet: false, signingSecretSetAt: null });
    expect(await webhookSigningSecret(db, seed.mainWorkspaceId, "live")).toBeNull();

    const events = await webhookAudit(seed.mainWorkspaceId, since);
    expect(events).toHaveLength(4);
    expect(JSON.stringify(events)).not.toContain("whsec-");
    expect(events[0].changes).toMatchObject({
      signingSecret: { before: null, after: "new secret" },
      signingSecretSet: { before: false, after: true },
    });
    expect(events[2].changes).toEqual({ signingSecret: { before: "set", after: "new secret" } });
    expect(events[3].changes).toEqual({ signingSecretSet: { before: true, after: false } });
  });
});

describe("Send test", () => {
  it("sends a signed sample delivery event to the Delivery URL now and returns and records the receiver's answer", async () => {
    const receiver = await startReceiver(() => ({ status: 202, headers: { "x-test": "1" } }));
    receivers.push(receiver);
    const context = await ctxAs("developer");
    okData(await webhookActions.save({ db, context }, values({ deliveryUrl: receiver.url, signingSecret: "whsec-test-send" })));

    const sent = okData(await webhookActions.sendTest({ db, context }, {}));
    expect(sent).toMatchObject({
      event: "delivery",
      url: receiver.url,
      success: true,
      responseStatus: 202,
      error: null,
      responseExcerpt: "ok",
    });
    expect(sent.durationMs).toBeGreaterThanOrEqual(0);

    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0];
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ message_id: sent.messageId, status: "DELIVRD" });
    const timestamp = String(request.headers["x-webhook-timestamp"]);
    expect(request.headers["x-webhook-signature"]).toBe(webhookSignature("whsec-test-send", timestamp, request.body));

    const log = await listDeliveryLogs(db, seed.mainWorkspaceId, "live", { page: 1, limit: 25 });
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]).toMatchObject({
      event: "delivery",
      url: receiver.url,
      messageId: sent.messageId,
      attempt: 1,
      success: true,
      responseStatus: 202,
      test: true,
      nextAttemptAt: null,
    });
  });

  it("reports a receiver's failure or a connection error as the answer, and logs it as a failed attempt", async () => {
    const receiver = await startReceiver(() => 500);
    receivers.push(receiver);
    const context = await ctxAs("owner");
    okData(await webhookActions.save({ db, context }, values({ deliveryUrl: receiver.url })));
    const failed = okData(await webhookActions.sendTest({ db, context }, {}));
    expect(failed).toMatchObject({ success: false, responseStatus: 500, error: "HTTP 500" });

    const closed = await startReceiver();
    await closed.close();
    okData(await webhookActions.save({ db, context }, values({ deliveryUrl: closed.url })));
    const refused = okData(await webhookActions.sendTest({ db, context }, {}));
    expect(refused).toMatchObject({ success: false, responseStatus: null, error: "connection refused", responseExcerpt: null });

    const log = await listDeliveryLogs(db, seed.mainWorkspaceId, "live", { page: 1, limit: 25, status: "failed" });
    expect(log.rows.map((r) => r.error)).toEqual(["connection refused", "HTTP 500"]);
  });

  it("says to save a Delivery URL first when there is none, sending and logging nothing", async () => {
    const context = await ctxAs("owner");
    const result = refusal(await webhookActions.sendTest({ db, context }, {}));
    expect(result.error).toMatch(/Save a Delivery URL first/);
    expect(await db.select().from(webhookDeliveries)).toEqual([]);
  });
});

describe("roles", () => {
  it("lets Owners, Admins and Developers change the settings, and refuses Viewers and Billing members every change", async () => {
    for (const role of ["owner", "admin", "developer"] as const) {
      const context = await ctxAs(role);
      okData(await webhookActions.save({ db, context }, values({ deliveryUrl: `https://hooks.example.com/${role}` })));
    }
    const before = await auditCount();
    for (const role of ["viewer", "billing"] as const) {
      const context = await ctxAs(role);
      const env = { db, context };
      for (const run of [
        () => webhookActions.save(env, values({ deliveryUrl: "https://evil.example.com/", signingSecret: "taken-over" })),
        () => webhookActions.clearSecret(env, {}),
        () => webhookActions.sendTest(env, {}),
      ]) {
        expect(refusal(await run()).error, role).toBe("Your role does not allow this.");
      }
    }
    expect(await auditCount()).toBe(before);
    expect((await getWebhookSettings(db, seed.mainWorkspaceId, "live")).urls.delivery).toBe("https://hooks.example.com/developer");
    expect(await db.select().from(webhookDeliveries)).toEqual([]);
  });

  it("refuses a signed-out request", async () => {
    expect(refusal(await webhookActions.save({ db, context: null }, values())).error).toMatch(/session has ended/);
  });
});

describe("isolation", () => {
  it("another organization's owner changes and tests only their own workspace, and cannot act in Acme's", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const acme = await ctxAs("owner");
    okData(await webhookActions.save({ db, context: acme }, values({ deliveryUrl: receiver.url, signingSecret: "acme-secret" })));

    const [org] = await db.insert(organizations).values({ name: "Globex" }).returning();
    const [workspace] = await db.insert(workspaces).values({ organizationId: org.id, name: "Main", isMain: true }).returning();
    const [user] = await db
      .insert(users)
      .values({ email: "owner@globex.test", name: "Gary Globex", passwordHash: "not-a-real-hash" })
      .returning();
    await db.insert(memberships).values({ userId: user.id, organizationId: org.id, role: "owner" });
    const intruder: PortalContext = await contextFor(db, user.id, workspace.id);
    await expect(contextFor(db, user.id, seed.mainWorkspaceId)).rejects.toThrow(/not a member/);

    // Globex has no Delivery URL of its own: Acme's is not used.
    expect(refusal(await webhookActions.sendTest({ db, context: intruder }, {})).error).toMatch(/Save a Delivery URL first/);
    okData(await webhookActions.clearSecret({ db, context: intruder }, {}));
    okData(await webhookActions.save({ db, context: intruder }, values({ deliveryUrl: "https://globex.example.com/hook" })));

    const ours = await getWebhookSettings(db, seed.mainWorkspaceId, "live");
    expect(ours).toMatchObject({ urls: { delivery: receiver.url }, signingSecretSet: true });
    expect(receiver.requests).toHaveLength(0);
    expect((await webhookAudit(workspace.id)).length).toBe(1);
    expect(await webhookSigningSecret(db, seed.mainWorkspaceId, "live")).toBe("acme-secret");
  });
});

describe("the Delivery log", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
  const attempt = (messageId: string, over: Partial<Parameters<typeof recordAttempt>[1]> = {}) =>
    recordAttempt(db, {
      workspaceId: seed.mainWorkspaceId,
      keyId: null,
      event: "delivery",
      url: "https://hooks.example.com/d",
      messageId,
      attempt: 1,
      success: false,
      responseStatus: 500,
      durationMs: 12,
      error: "HTTP 500",
      createdAt: minutes(-5),
      ...over,
    });

  /** The page's query, parsed as the page parses its search params, then listed as the page lists it. */
  async function page(query: Record<string, string>) {
    const parsed = deliveryLogQuerySchema.parse(query);
    const result = await listDeliveryLogs(
      db,
      seed.mainWorkspaceId,
      "live",
      { ...parsed, since: periodStart(parsed.period, now.getTime()), limit: 2 },
      now,
    );
    return { ...result, ids: result.rows.map((r) => r.messageId) };
  }

  it("filters by status (a scheduled retry is pending until it is due), event and period, paged in the database", async () => {
    await attempt("ok", { success: true, responseStatus: 200, error: null });
    await attempt("retrying", { nextAttemptAt: minutes(1) });
    await attempt("retried", { nextAttemptAt: minutes(-4), createdAt: minutes(-6) });
    await attempt("gave-up", { attempt: 3 });
    await attempt("click", { event: "click", success: true, responseStatus: 204, error: null, createdAt: minutes(-7) });
    await attempt("old", { createdAt: minutes(-60 * 24 * 8) });
    await attempt("test-mode", { mode: "test" });
    await attempt("staging", { workspaceId: seed.stagingWorkspaceId });

    expect((await page({ status: "succeeded", period: "7d" })).ids.sort()).toEqual(["click", "ok"]);
    expect((await page({ status: "pending" })).ids).toEqual(["retrying"]);
    expect((await page({ status: "failed" })).ids).toEqual(["gave-up", "retried"]);
    expect((await page({ status: "failed", period: "30d" })).total).toBe(3);
    expect((await page({ event: "click" })).ids).toEqual(["click"]);
    // Blank filters are "any"; 7 days by default; newest first (then the latest written), 2 a page here.
    const first = await page({ status: "", event: "", period: "" });
    expect(first).toMatchObject({ total: 5, totalPages: 3, ids: ["gave-up", "retrying"] });
    expect((await page({ page: "3" })).ids).toEqual(["click"]);

    const rows = (await listDeliveryLogs(db, seed.mainWorkspaceId, "live", { page: 1, limit: 25, since: minutes(-10) }, now)).rows;
    const statusOf = (id: string) =>
      attemptStatus(
        rows.find((r) => r.messageId === id)!,
        now,
      );
    expect(["ok", "retrying", "retried", "gave-up"].map(statusOf)).toEqual(["succeeded", "pending", "failed", "failed"]);
  });

  it("refuses unknown filter values with a message for that filter", () => {
    const result = deliveryLogQuerySchema.safeParse({ status: "bogus", event: "sms", period: "1y", page: "0" });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(messages).toEqual({
      status: "Choose a listed status",
      event: "Choose a listed event",
      period: "Choose a listed period",
      page: "Page starts at 1",
    });
  });
});
