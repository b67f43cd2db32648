/**
 * The Dashboard's "Send a test message" actions against a real database, called
 * as the browser calls them: composeActions.x({ db, context }, rawFormValues).
 */
import { and, eq, gt, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, messages } from "@/db/schema";
import type { Role } from "@/lib/permissions/catalog";
import { createJobs, type Jobs } from "@/lib/runtime/jobs";
import { previewSend } from "@/lib/sms/preview";
import { sendBodySchema } from "@/lib/sms/send-input";
import { contextFor } from "@/lib/workspaces/context";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { composeActions, LIVE_REFUSED } from "./compose-actions";

let t: TestDatabase;
let jobs: Jobs;
beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await createJobs(t.database, { workers: false });
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
  await t?.close();
});

const env = async (role: Role) => ({ db: t.db, context: await contextFor(t.db, t.seed.userIds[role], t.seed.mainWorkspaceId) });
const send = composeActionsSend();
function composeActionsSend() {
  return (e: Awaited<ReturnType<typeof env>>, values: unknown) =>
    composeActions.send({ queue: jobs.queue, carriers: jobs.carriers })(e, values);
}
const values = (over: Record<string, unknown> = {}) => ({
  to: "+447700900123",
  senderId: "Acme",
  message: "Hello from the composer",
  mode: "test",
  confirmLive: false,
  idempotencyKey: crypto.randomUUID(),
  ...over,
});

describe("the composer's preview", () => {
  it("is POST /sms/preview's answer for the same body: the curly quote named with its position, the GSM-7 version cheaper", async () => {
    const text = "Don\u2019t miss it";
    const result = await composeActions.preview(await env("developer"), {
      to: "+447700900123, +4915112345678",
      senderId: "Acme",
      message: text,
      mode: "test",
    });
    if (!result.ok) throw new Error(result.error);
    const api = await previewSend(
      t.db,
      { workspaceId: t.seed.mainWorkspaceId, mode: "test", allowedCountries: [] },
      sendBodySchema.parse({ to: ["+447700900123", "+4915112345678"], message: text, sender_id: "Acme" }),
    );
    expect(result.data).toEqual(api);
    expect(result.data.summary.encoding).toBe("UCS-2");
    expect(result.data.ucs2_characters).toEqual([{ character: "\u2019", code_point: "U+2019", position: 3, replacement: "'" }]);
    expect(result.data.gsm7_rewrite).toMatchObject({ message: "Don't miss it", encoding: "GSM-7" });
    expect(result.data.recipients.map((r) => r.country)).toEqual(["GB", "DE"]);
  });

  it("puts the send's refusal on its field, in the send's order", async () => {
    const e = await env("owner");
    const cases: [Record<string, unknown>, string][] = [
      [{ to: "" }, "to"],
      [{ to: "+44 7700 900123" }, "to"],
      [{ message: "   " }, "message"],
      [{ message: "x".repeat(1531 + 153 * 0) + "\u2019".repeat(700) }, "message"],
      [{ senderId: "A" }, "senderId"],
    ];
    for (const [over, field] of cases) {
      const result = await composeActions.preview(e, { ...values(over), confirmLive: undefined, idempotencyKey: undefined });
      expect(result.ok, JSON.stringify(over)).toBe(false);
      if (!result.ok) expect(Object.keys(result.fieldErrors ?? {}), JSON.stringify(over)).toEqual([field]);
    }
  });

  it("is not offered to a Viewer or a Billing member", async () => {
    for (const role of ["viewer", "billing"] as const) {
      const result = await composeActions.preview(await env(role), { to: "+447700900123", senderId: "Acme", message: "Hi", mode: "test" });
      expect(result).toEqual({ ok: false, error: "Your role does not allow this." });
    }
  });
});

describe("the composer's send", () => {
  it("sends in test mode through the send path: stored without a key, one sms.portal_send event, a double submit sends once", async () => {
    const e = await env("developer");
    const [{ last }] = await t.db.select({ last: max(auditEvents.id) }).from(auditEvents);
    const form = values({ to: "+447700900555" });
    const first = await send(e, form);
    const again = await send(e, form);
    if (!first.ok || !again.ok) throw new Error("send refused");
    expect(again.data.results).toEqual(first.data.results);
    const stored = await t.db.select().from(messages).where(eq(messages.recipient, "+447700900555"));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ mode: "test", keyId: null, senderId: "Acme", body: "Hello from the composer", status: "pending" });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, last ?? 0));
    expect(events.map((ev) => [ev.action, ev.actorUserId])).toEqual([["sms.portal_send", t.seed.userIds.developer]]);
    expect(JSON.stringify(events[0].changes)).not.toContain("+447700900555");
  });

  it("refuses live mode to a Developer and, for an Owner, until it is confirmed", async () => {
    const dev = await send(await env("developer"), values({ mode: "live", confirmLive: true }));
    expect(dev).toMatchObject({ ok: false, error: LIVE_REFUSED, fieldErrors: { mode: LIVE_REFUSED } });

    const owner = await env("owner");
    const unconfirmed = await send(owner, values({ mode: "live", to: "+447700900556" }));
    expect(unconfirmed.ok).toBe(false);
    if (!unconfirmed.ok) expect(Object.keys(unconfirmed.fieldErrors ?? {})).toEqual(["confirmLive"]);
    const confirmed = await send(owner, values({ mode: "live", confirmLive: true, to: "+447700900556" }));
    expect(confirmed.ok).toBe(true);
    const [row] = await t.db
      .select()
      .from(messages)
      .where(and(eq(messages.recipient, "+447700900556"), eq(messages.mode, "live")));
    expect(row?.keyId).toBeNull();
  });

  it("is not offered to a Viewer or a Billing member", async () => {
    for (const role of ["viewer", "billing"] as const) {
      expect(await send(await env(role), values())).toEqual({ ok: false, error: "Your role does not allow this." });
    }
  });
});
