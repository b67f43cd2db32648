/**
 * GET /sms/status/:message_id, /sms/messages and /sms/messages/unified
 * (docs/api-v1.md §3) against a real database: every filter, the periods in UTC,
 * the pagination envelope, INVALID_PARAMETER, and isolation — another
 * workspace's message is NOT_FOUND, and test and live data never mix (§6).
 */
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as messagesRoute from "@/app/api/v1/sms/messages/route";
import * as unifiedRoute from "@/app/api/v1/sms/messages/unified/route";
import * as statusRoute from "@/app/api/v1/sms/status/[message_id]/route";
import { messages } from "@/db/schema";
import { presetRange, STATUS_FILTERS, STATUS_MAPPING, type Period } from "@/lib/sms/filters";
import { callApi, expectApiError, makeKey, randomAddress, startRuntime, type Handler } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { insertMessages, messageRow, noonDaysAgo, type MessageInsert } from "@/tests/messages";
import type { ApiRuntime } from "./runtime";

type Row = typeof messages.$inferSelect;

let t: TestDatabase;
let runtime: ApiRuntime;
let liveKey: string;
let testKey: string;
let stagingKey: string;
let sendOnlyKey: string;
let live: Row[];
let test: Row[];
let staging: Row[];

const now = new Date();
const at = (daysAgo: number) => noonDaysAgo(daysAgo, now);

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  const main = t.seed.mainWorkspaceId;
  liveKey = (await makeKey(t, { permissions: ["sms.read"] })).secret;
  testKey = (await makeKey(t, { mode: "test", permissions: ["sms.read"] })).secret;
  stagingKey = (await makeKey(t, {}, t.seed.stagingWorkspaceId)).secret;
  sendOnlyKey = (await makeKey(t, { permissions: ["sms.send"] })).secret;

  const rows: MessageInsert[] = [
    messageRow(main, {
      status: "DELIVRD",
      recipient: "+447911123456",
      country: "GB",
      senderId: "Acme",
      createdAt: at(0),
      deliveredAt: new Date(at(0).getTime() + 4000),
    }),
    messageRow(main, {
      status: "UNDELIV",
      recipient: "+447911000111",
      country: "GB",
      senderId: "Acme",
      statusCode: "001",
      createdAt: at(1),
    }),
    messageRow(main, {
      status: "REJECTD",
      recipient: "+14155551234",
      country: "US",
      senderId: "Bank",
      statusCode: "002",
      createdAt: at(2),
    }),
    messageRow(main, {
      status: "failed",
      recipient: "+33612345678",
      country: "FR",
      senderId: "Acme",
      cost: "0",
      statusCode: "blocked_country",
      createdAt: at(3),
    }),
    messageRow(main, { status: "EXPIRED", recipient: "+4915112345678", country: "DE", senderId: "+14155550000", createdAt: at(4) }),
    messageRow(main, { status: "pending", recipient: "+14155550100", country: "US", senderId: "Bank", statusCode: null, createdAt: at(0) }),
    messageRow(main, { status: "sent", recipient: "+14155550101", country: "US", senderId: "Bank", statusCode: null, createdAt: at(5) }),
    messageRow(main, { status: "UNKNOWN", recipient: "+80012345678", country: null, senderId: "Acme", createdAt: at(6) }),
    messageRow(main, {
      status: "DELIVRD",
      recipient: "+447700900123",
      country: "GB",
      senderId: "Acme",
      segments: 3,
      cost: "0.10500",
      createdAt: at(20),
    }),
    messageRow(main, { status: "DELIVRD", recipient: "+447700900124", country: "GB", senderId: "Acme", createdAt: at(45) }),
  ];
  live = await insertMessages(t.db, rows);
  test = await insertMessages(t.db, [
    messageRow(main, { mode: "test", status: "DELIVRD", recipient: "+15005550009", country: "US", senderId: "Sandbox", createdAt: at(0) }),
    messageRow(main, { mode: "test", status: "sent", recipient: "+15005550004", country: "US", senderId: "Sandbox", createdAt: at(1) }),
  ]);
  staging = await insertMessages(t.db, [
    messageRow(t.seed.stagingWorkspaceId, { status: "DELIVRD", senderId: "Staging", createdAt: at(0) }),
  ]);
});

afterAll(async () => {
  await runtime?.close();
  await t?.close();
});

const get = (handler: Handler, path: string, key = liveKey, params?: Record<string, string>) =>
  callApi(handler, { path, key, params, address: randomAddress() });
const list = (query = "", key = liveKey) => get(messagesRoute.GET, `/api/v1/sms/messages${query}`, key);
const unified = (query = "", key = liveKey) => get(unifiedRoute.GET, `/api/v1/sms/messages/unified${query}`, key);
const status = (id: string, key = liveKey) => get(statusRoute.GET, `/api/v1/sms/status/${encodeURIComponent(id)}`, key, { message_id: id });

/** The rows a range selects, newest first (what the API must answer), computed in JS. */
function expected(rows: Row[], range: { from: string; to: string }, keep: (r: Row) => boolean = () => true): Row[] {
  const start = Date.parse(`${range.from}T00:00:00Z`);
  const end = Date.parse(`${range.to}T00:00:00Z`) + 86_400_000;
  return rows
    .filter((r) => r.createdAt.getTime() >= start && r.createdAt.getTime() < end && keep(r))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
}
const last7 = () => presetRange("7d", now);
const ids = (body: { messages: Array<{ id: number | string }> }) => body.messages.map((m) => m.id);

describe("GET /sms/status/:message_id", () => {
  it("answers the message in the documented shape", async () => {
    const m = live[0];
    const res = await status(m.messageId);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.body).toEqual({
      status: true,
      message: {
        message_id: m.messageId,
        recipient: m.recipient,
        segments: 1,
        message: m.body,
        sender_id: "Acme",
        status: "DELIVRD",
        status_code: "000",
        cost: 0.035,
        created_at: m.createdAt.toISOString(),
        delivered_at: m.deliveredAt!.toISOString(),
      },
    });
  });

  it("gives null for a message not delivered yet, and cost as a number", async () => {
    const res = await status(live[5].messageId);
    expect(res.body.message).toMatchObject({ status: "pending", status_code: null, delivered_at: null, cost: 0.035 });
  });

  it("answers NOT_FOUND for an unknown id and for another workspace's id", async () => {
    expectApiError(await status("api_1_0_0000000000000000"), 404, "NOT_FOUND");
    expectApiError(await status(staging[0].messageId), 404, "NOT_FOUND");
    expect((await status(staging[0].messageId, stagingKey)).status).toBe(200);
  });

  it("never shows a test message to a live key, nor a live message to a test key", async () => {
    expectApiError(await status(test[0].messageId, liveKey), 404, "NOT_FOUND");
    expectApiError(await status(live[0].messageId, testKey), 404, "NOT_FOUND");
    expect((await status(test[0].messageId, testKey)).body.message.message_id).toBe(test[0].messageId);
  });

  it("needs sms.read", async () => {
    expectApiError(await status(live[0].messageId, sendOnlyKey), 403, "FORBIDDEN");
  });
});

describe("failure (ours): why a message was not delivered and what to do", () => {
  const UNREACHABLE = {
    category: "unreachable",
    retryable: true,
    description: "The phone could not be reached: it may be off, out of coverage or unable to receive SMS.",
    action: "Send it again later; if it keeps failing, confirm the number with the recipient.",
  };
  const NOT_DELIVERED = new Set(["UNDELIV", "REJECTD", "EXPIRED", "UNKNOWN", "failed"]);

  it("is on the status of every message that was not delivered, from its status code", async () => {
    expect((await status(live[1].messageId)).body.message.failure).toEqual(UNREACHABLE);
    expect((await status(live[2].messageId)).body.message.failure).toMatchObject({ category: "carrier_rejected", retryable: false });
    expect((await status(live[3].messageId)).body.message.failure).toMatchObject({ category: "blocked_country", retryable: false });
    expect((await status(live[4].messageId)).body.message.failure).toMatchObject({ category: "expired", retryable: true });
    expect((await status(live[7].messageId)).body.message.failure).toMatchObject({ category: "unknown" });
  });

  it("is absent (no key) from a delivered message and from one still pending or sent", async () => {
    for (const m of [live[0], live[5], live[6]]) {
      expect((await status(m.messageId)).body.message, m.status).not.toHaveProperty("failure");
    }
  });

  it("is in the lists and the unified list, equal to the status's, on exactly the messages not delivered", async () => {
    for (const res of [await list("?period=30d"), await unified("?period=30d")]) {
      expect(res.status).toBe(200);
      expect(res.body.messages.length).toBeGreaterThanOrEqual(9);
      for (const m of res.body.messages) {
        if (!NOT_DELIVERED.has(m.status)) {
          expect(m, m.status).not.toHaveProperty("failure");
          continue;
        }
        const id = m.client_message_id ?? m.id;
        expect(m.failure, m.status).toEqual((await status(id)).body.message.failure);
      }
    }
  });
});

describe("GET /sms/messages", () => {
  it("lists the last 7 days' API messages, newest first, in the documented shape", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    const want = expected(live, last7());
    expect(res.body).toMatchObject({ total: want.length, page: 1, limit: 25, total_pages: 1 });
    expect(ids(res.body)).toEqual(want.map((r) => r.id));
    const first = res.body.messages[0];
    expect(Object.keys(first).sort()).toEqual([
      "client_message_id",
      "cost",
      "created_at",
      "delivered_at",
      "id",
      "message",
      "recipient",
      "segments",
      "sender_id",
      "status",
      "status_code",
    ]);
    const row = want[0];
    expect(first).toEqual({
      id: row.id,
      client_message_id: row.messageId,
      recipient: row.recipient,
      sender_id: row.senderId,
      message: row.body,
      status: row.status,
      status_code: row.statusCode,
      segments: row.segments,
      cost: Number(row.cost),
      created_at: row.createdAt.toISOString(),
      delivered_at: row.deliveredAt?.toISOString() ?? null,
    });
    expect(Number.isInteger(first.id)).toBe(true);
  });

  it("pages with page and limit, and reports total and total_pages", async () => {
    const want = expected(live, last7()).map((r) => r.id);
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const res = await list(`?limit=3&page=${page}`);
      expect(res.body).toMatchObject({ total: want.length, page, limit: 3, total_pages: Math.ceil(want.length / 3) });
      pages.push(...ids(res.body));
    }
    expect(pages).toEqual(want);
    const beyond = await list("?limit=3&page=99");
    expect(beyond.body).toMatchObject({ messages: [], total: want.length, page: 99, limit: 3 });
  });

  it("maps every status filter to its stored statuses", async () => {
    for (const filter of STATUS_FILTERS) {
      const res = await list(`?status=${filter}&period=30d`);
      const want = expected(live, presetRange("30d", now), (r) => STATUS_MAPPING[filter].includes(r.status));
      expect(ids(res.body), filter).toEqual(want.map((r) => r.id));
      expect(want.length, filter).toBeGreaterThan(0);
    }
  });

  it("filters by a substring of the recipient, with LIKE wildcards taken literally", async () => {
    const res = await list(`?phone=${encodeURIComponent("+44791")}`);
    expect(ids(res.body)).toEqual(expected(live, last7(), (r) => r.recipient.includes("+44791")).map((r) => r.id));
    expect(res.body.total).toBe(2);
    expect((await list("?phone=555010")).body.total).toBe(2);
    for (const wildcard of ["%", "_", "4_7", "%44"])
      expect((await list(`?phone=${encodeURIComponent(wildcard)}`)).body.total, wildcard).toBe(0);
  });

  it("filters by country in any case, ZZ being messages without a country", async () => {
    const gb = await list("?country=gb");
    expect(ids(gb.body)).toEqual(expected(live, last7(), (r) => r.country === "GB").map((r) => r.id));
    expect((await list("?country=US")).body.total).toBe(3);
    expect(ids((await list("?country=ZZ")).body)).toEqual([live[7].id]);
    expect((await list("?country=JP")).body.total).toBe(0);
  });

  it("filters by exact sender, an E.164 sender included", async () => {
    expect(ids((await list("?sender=Bank")).body)).toEqual(expected(live, last7(), (r) => r.senderId === "Bank").map((r) => r.id));
    expect(ids((await list(`?sender=${encodeURIComponent("+14155550000")}`)).body)).toEqual([live[4].id]);
    expect((await list("?sender=Ban")).body.total).toBe(0);
  });

  it("combines filters", async () => {
    const res = await list("?country=US&sender=Bank&status=pending");
    expect(ids(res.body)).toEqual([live[5].id, live[6].id]);
  });

  it.each(["today", "yesterday", "7d", "30d", "this_month", "last_month"] as Period[])("selects the period %s in UTC", async (period) => {
    const res = await list(`?period=${period}&limit=100`);
    expect(ids(res.body)).toEqual(expected(live, presetRange(period, now)).map((r) => r.id));
  });

  it("takes a custom from/to in UTC with to inclusive, overriding period", async () => {
    const edge = await insertMessages(t.db, [
      messageRow(t.seed.mainWorkspaceId, { createdAt: new Date("2025-03-09T23:59:59.999Z") }),
      messageRow(t.seed.mainWorkspaceId, { createdAt: new Date("2025-03-10T00:00:00.000Z") }),
      messageRow(t.seed.mainWorkspaceId, { createdAt: new Date("2025-03-11T23:59:59.000Z") }),
      messageRow(t.seed.mainWorkspaceId, { createdAt: new Date("2025-03-12T00:00:00.000Z") }),
    ]);
    try {
      const res = await list("?from=2025-03-10&to=2025-03-11&period=today");
      expect(ids(res.body)).toEqual([edge[2].id, edge[1].id]);
      expect(ids((await list("?from=2025-03-11&to=2025-03-11")).body)).toEqual([edge[2].id]);
      expect(ids((await list("?from=2025-03-12&to=2025-03-12")).body)).toEqual([edge[3].id]);
      // Only `to`: the 7 days ending then.
      expect(ids((await list("?to=2025-03-10")).body)).toEqual([edge[1].id, edge[0].id]);
      // Only `from`: up to today.
      expect((await list("?from=2025-03-11&limit=100")).body.total).toBe(
        2 + expected(live, { from: "2025-03-11", to: presetRange("today", now).to }).length,
      );
    } finally {
      await t.db.delete(messages).where(
        inArray(
          messages.id,
          edge.map((r) => r.id),
        ),
      );
    }
  });

  it.each([
    ["page", "0"],
    ["page", "x"],
    ["limit", "0"],
    ["limit", "101"],
    ["status", "DELIVRD"],
    ["period", "1y"],
    ["country", "GBR"],
    ["from", "2025-13-01"],
    ["to", "31-01-2025"],
  ])("answers INVALID_PARAMETER for %s=%s, naming it", async (name, value) => {
    const res = await list(`?${name}=${encodeURIComponent(value)}`);
    expectApiError(res, 400, "INVALID_PARAMETER");
    expect(res.body.description).toMatch(new RegExp(`^${name}: `));
  });

  it("answers INVALID_PARAMETER for from after to", async () => {
    const res = await list("?from=2025-03-12&to=2025-03-11");
    expectApiError(res, 400, "INVALID_PARAMETER");
    expect(res.body.description).toBe("from: must not be after to");
  });

  it("never lists test messages to a live key, nor live ones to a test key, nor another workspace's", async () => {
    const liveIds = ids((await list("?limit=100&period=30d")).body);
    expect(liveIds).not.toEqual(expect.arrayContaining([test[0].id]));
    expect(liveIds.some((id) => [...test, ...staging].some((r) => r.id === id))).toBe(false);
    const testRes = await list("?limit=100&period=30d", testKey);
    expect(ids(testRes.body)).toEqual([test[0].id, test[1].id]);
    expect(ids((await list("?limit=100&period=30d", stagingKey)).body)).toEqual([staging[0].id]);
  });

  it("needs sms.read", async () => {
    expectApiError(await list("", sendOnlyKey), 403, "FORBIDDEN");
  });
});

describe("GET /sms/messages/unified", () => {
  it("lists the same messages with string ids, a source and empty click fields", async () => {
    const res = await unified();
    expect(res.status).toBe(200);
    const want = expected(live, last7());
    expect(res.body).toMatchObject({ total: want.length, page: 1, limit: 25, total_pages: 1 });
    expect(ids(res.body)).toEqual(want.map((r) => r.messageId));
    const row = want[0];
    expect(res.body.messages[0]).toEqual({
      id: row.messageId,
      source: "api",
      recipient: row.recipient,
      sender_id: row.senderId,
      message: row.body,
      status: row.status,
      status_code: row.statusCode,
      cost: Number(row.cost),
      sent_at: row.createdAt.toISOString(),
      delivered_at: row.deliveredAt?.toISOString() ?? null,
      clicked: false,
      clicked_at: null,
      action_type: null,
      action_at: null,
    });
  });

  it("applies the same filters and pagination", async () => {
    const res = await unified("?status=undelivered&country=US&limit=1");
    expect(res.body).toMatchObject({ total: 1, page: 1, limit: 1, total_pages: 1 });
    expect(ids(res.body)).toEqual([live[2].messageId]);
    const two = await unified("?limit=2&page=2");
    expect(ids(two.body)).toEqual(
      expected(live, last7())
        .slice(2, 4)
        .map((r) => r.messageId),
    );
  });

  it("answers an empty page for source=broadcasts while there are none, and the API messages for api and all", async () => {
    expect((await unified("?source=broadcasts")).body).toEqual({ messages: [], total: 0, page: 1, limit: 25, total_pages: 1 });
    expect((await unified("?source=api")).body).toEqual((await unified("?source=all")).body);
  });

  it("keeps broadcast messages apart by source (and out of /sms/messages)", async () => {
    const [campaign] = await insertMessages(t.db, [messageRow(t.seed.mainWorkspaceId, { source: "campaign", createdAt: at(0) })]);
    try {
      expect(ids((await unified("?source=broadcasts")).body)).toEqual([campaign.messageId]);
      expect((await unified("?source=broadcasts")).body.messages[0].source).toBe("campaign");
      expect(ids((await unified("?source=all")).body)).toContain(campaign.messageId);
      expect(ids((await unified("?source=api")).body)).not.toContain(campaign.messageId);
      expect(ids((await list()).body)).not.toContain(campaign.id);
    } finally {
      await t.db.delete(messages).where(eq(messages.id, campaign.id));
    }
  });

  it("answers INVALID_PARAMETER for a bad source or page", async () => {
    expectApiError(await unified("?source=sms"), 400, "INVALID_PARAMETER");
    expect((await unified("?source=sms")).body.description).toMatch(/^source: /);
    expectApiError(await unified("?page=-2"), 400, "INVALID_PARAMETER");
  });

  it("never mixes test and live messages", async () => {
    expect(ids((await unified("?period=30d", testKey)).body)).toEqual([test[0].messageId, test[1].messageId]);
    const liveIds = ids((await unified("?period=30d&limit=100")).body);
    expect(liveIds.some((id) => [...test, ...staging].some((r) => r.messageId === id))).toBe(false);
  });
});
