import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { insertMessages, messageRow, noonDaysAgo } from "@/tests/messages";
import { deliveriesForMessage } from "@/lib/webhooks/logs";
import { unifiedQuery } from "./filters";
import { messageDetail, messagePage } from "./history";

let t: TestDatabase;
let ws: number;
let other: number;
beforeAll(async () => {
  t = await createTestDatabase();
  ws = t.seed.mainWorkspaceId;
  other = t.seed.stagingWorkspaceId;
}, 60_000);
afterAll(() => t.close());

const query = (q: Record<string, string>) => unifiedQuery.parse({ period: "7d", ...q });

describe("the Messages page's query", () => {
  it("pages the same filter as the API, newest or oldest first, one mode and one workspace only", async () => {
    const [older, newer] = await insertMessages(t.db, [
      messageRow(ws, { recipient: "+447700900001", createdAt: noonDaysAgo(2) }),
      messageRow(ws, { recipient: "+447700900002", createdAt: noonDaysAgo(1) }),
      messageRow(ws, { recipient: "+447700900003", mode: "test", createdAt: noonDaysAgo(1) }),
      messageRow(other, { recipient: "+447700900004", createdAt: noonDaysAgo(1) }),
    ]);
    const filter = query({ phone: "77009000" });
    const newest = await messagePage(t.db, { workspaceId: ws, mode: "live" }, filter, "newest");
    expect(newest.rows.map((m) => m.messageId)).toEqual([newer.messageId, older.messageId]);
    expect(newest.total).toBe(2);
    const oldest = await messagePage(t.db, { workspaceId: ws, mode: "live" }, filter, "oldest");
    expect(oldest.rows.map((m) => m.messageId)).toEqual([older.messageId, newer.messageId]);
    const test = await messagePage(t.db, { workspaceId: ws, mode: "test" }, filter, "newest");
    expect(test.rows.map((m) => m.recipient)).toEqual(["+447700900003"]);
  });
});

describe("a message's page", () => {
  it("tells the status history in words: accepted, sent, undelivered with the carrier code explained", async () => {
    const [m] = await insertMessages(t.db, [
      messageRow(ws, { status: "UNDELIV", statusCode: "001", sentAt: noonDaysAgo(1), createdAt: noonDaysAgo(1) }),
    ]);
    const detail = await messageDetail(t.db, { workspaceId: ws, mode: "live" }, m.messageId);
    expect(detail.steps.map((s) => [s.label, s.state])).toEqual([
      ["Accepted", "done"],
      ["Sent to the carrier", "done"],
      ["Undelivered", "failed"],
    ]);
    expect(detail.steps[2].detail).toMatch(/could not deliver/);
  });

  it("says a refused recipient was not sent, and why", async () => {
    const [m] = await insertMessages(t.db, [messageRow(ws, { status: "failed", statusCode: "blocked_country", cost: "0" })]);
    const detail = await messageDetail(t.db, { workspaceId: ws, mode: "live" }, m.messageId);
    expect(detail.steps.map((s) => s.label)).toEqual(["Accepted", "Not sent"]);
    expect(detail.steps[1].detail).toMatch(/country is blocked/);
  });

  it("carries the failure (category, retry, what happened, what to do) of a message not delivered, none of a delivered one", async () => {
    const [optedOut, delivered, pending] = await insertMessages(t.db, [
      messageRow(ws, { status: "REJECTD", statusCode: "005" }),
      messageRow(ws, { status: "DELIVRD", statusCode: "000" }),
      messageRow(ws, { status: "pending", statusCode: null }),
    ]);
    const scope = { workspaceId: ws, mode: "live" as const };
    expect((await messageDetail(t.db, scope, optedOut.messageId)).failure).toEqual({
      category: "blocked_by_recipient",
      retryable: false,
      description: "The recipient has blocked messages from this sender (they opted out).",
      action: "Do not send to this number again unless the recipient opts back in.",
    });
    expect((await messageDetail(t.db, scope, delivered.messageId)).failure).toBeNull();
    expect((await messageDetail(t.db, scope, pending.messageId)).failure).toBeNull();
    // The Messages page's rows carry the same.
    const page = await messagePage(t.db, scope, query({ period: "30d" }), "newest");
    const byId = new Map(page.rows.map((r) => [r.messageId, r.failure?.category ?? null]));
    expect([byId.get(optedOut.messageId), byId.get(delivered.messageId), byId.get(pending.messageId)]).toEqual([
      "blocked_by_recipient",
      null,
      null,
    ]);
  });

  it("is not found for another workspace's message or the other mode's", async () => {
    const [mine, theirs] = await insertMessages(t.db, [messageRow(ws, { mode: "test" }), messageRow(other)]);
    await expect(messageDetail(t.db, { workspaceId: ws, mode: "live" }, mine.messageId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(messageDetail(t.db, { workspaceId: ws, mode: "live" }, theirs.messageId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lists the delivery webhook attempts of that message only, in the order they were made", async () => {
    const [m] = await insertMessages(t.db, [messageRow(ws)]);
    const attempt = (n: number, messageId: string, workspaceId = ws) => ({
      workspaceId,
      event: "delivery",
      url: "https://hooks.example.com/sms",
      messageId,
      attempt: n,
      success: n === 2,
      responseStatus: n === 2 ? 200 : 503,
      durationMs: 12,
      createdAt: new Date(Date.now() + n),
    });
    await t.db
      .insert(webhookDeliveries)
      .values([attempt(1, m.messageId), attempt(2, m.messageId), attempt(1, "api_other"), attempt(1, m.messageId, other)]);
    const list = await deliveriesForMessage(t.db, ws, m.messageId);
    expect(list.map((d) => [d.attempt, d.success])).toEqual([
      [1, false],
      [2, true],
    ]);
  });
});
