/**
 * GET /sms/messages/unified/export (docs/api-v1.md §3): an RFC 4180 CSV, streamed
 * by keyset pagination, without message texts, safe to open in a spreadsheet,
 * never mixing test and live data (§6) — and a large export read back whole.
 */
import { parse } from "csv-parse/sync";
import { and, asc, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as exportRoute from "@/app/api/v1/sms/messages/unified/export/route";
import { messages } from "@/db/schema";
import { exportQuery, presetRange } from "@/lib/sms/filters";
import { EXPORT_COLUMNS, exportCsv, formulaSafe } from "@/lib/sms/history";
import { log } from "@/lib/log";
import { CLIENT_ADDRESS_HEADER } from "@/lib/net/client-address";
import { callApi, expectApiError, makeKey, randomAddress, startRuntime } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { insertMessages, messageRow, noonDaysAgo } from "@/tests/messages";
import type { ApiRuntime } from "./runtime";

type Row = typeof messages.$inferSelect;

let t: TestDatabase;
let runtime: ApiRuntime;
let liveKey: string;
let testKey: string;
let stagingKey: string;
let live: Row[];
let test: Row[];
let staging: Row[];

const now = new Date();
// The contract's columns, then ours (appended, so the others keep their positions).
const HEADER =
  "id,source,message_id,recipient,country,sender_id,status,status_code,segments,cost,currency,sent_at,delivered_at" +
  ",failure_category,failure_retryable,failure_description,failure_action";

// Senders as they might arrive from elsewhere (an import, another system): the export must neither break nor run them.
const TRICKY_SENDERS = [
  "Ac,me",
  'Say "hi"',
  "Line\nBreak",
  "=cmd|' /C calc'!A0",
  "+x",
  "-x",
  "@x",
  "\tTab",
  "\rCR",
  "+14155551234",
  "Acme",
];

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  const main = t.seed.mainWorkspaceId;
  liveKey = (await makeKey(t, { permissions: ["sms.read"] })).secret;
  testKey = (await makeKey(t, { mode: "test", permissions: ["sms.read"] })).secret;
  stagingKey = (await makeKey(t, {}, t.seed.stagingWorkspaceId)).secret;
  live = await insertMessages(
    t.db,
    TRICKY_SENDERS.map((senderId, i) =>
      messageRow(main, {
        senderId,
        body: `SECRET-CODE-${i} is your code`,
        status: i % 3 === 0 ? "DELIVRD" : "UNDELIV",
        deliveredAt: i % 3 === 0 ? noonDaysAgo(i % 5, now) : null,
        createdAt: noonDaysAgo(i % 5, now),
        cost: i === 1 ? "0.00850" : "1.23400",
        country: i === 2 ? null : "GB",
      }),
    ),
  );
  test = await insertMessages(t.db, [
    messageRow(main, { mode: "test", senderId: "TestOnly", body: "SECRET-TEST", createdAt: noonDaysAgo(0, now) }),
  ]);
  staging = await insertMessages(t.db, [messageRow(t.seed.stagingWorkspaceId, { senderId: "Staging", createdAt: noonDaysAgo(0, now) })]);
});

afterAll(async () => {
  await runtime?.close();
  await t?.close();
});

const download = (query = "", key = liveKey) =>
  callApi(exportRoute.GET, { path: `/api/v1/sms/messages/unified/export${query}`, key, address: randomAddress() });
const records = (text: string): string[][] => parse(text);
const byMessageId = (text: string) => {
  const [header, ...rows] = records(text);
  return new Map(rows.map((r) => [r[header.indexOf("message_id")], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
};

describe("GET /sms/messages/unified/export", () => {
  it("streams text/csv with a header row and a download filename of the period", async () => {
    const res = await download();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const { from, to } = presetRange("7d", now);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="messages-${from}-${to}.csv"`);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(EXPORT_COLUMNS.join(",")).toBe(HEADER);
    expect((res.body as string).startsWith(`${HEADER}\r\n`)).toBe(true);
    const [header, ...rows] = records(res.body);
    expect(header.join(",")).toBe(HEADER);
    expect(rows).toHaveLength(live.length);
  });

  it("names the file after a custom from/to", async () => {
    const res = await download("?from=2025-02-01&to=2025-02-28");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="messages-2025-02-01-2025-02-28.csv"');
    expect(res.body).toBe(`${HEADER}\r\n`);
  });

  it("writes every column of every row, newest first, and never a message text", async () => {
    const res = await download();
    expect(res.body).not.toMatch(/SECRET/);
    const [, ...rows] = records(res.body);
    const ordered = [...live].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
    expect(rows.map((r) => Number(r[0]))).toEqual(ordered.map((r) => r.id));
    const cells = byMessageId(res.body);
    const m = live[1];
    expect(cells.get(m.messageId)).toEqual({
      id: String(m.id),
      source: "api",
      message_id: m.messageId,
      recipient: "+447911123456",
      country: "GB",
      sender_id: 'Say "hi"',
      status: "UNDELIV",
      status_code: "000",
      segments: "1",
      cost: "0.0085",
      currency: "EUR",
      sent_at: m.createdAt.toISOString(),
      delivered_at: "",
      // Undelivered with a code the table has no failure for: the failure of its status.
      failure_category: "unreachable",
      failure_retryable: "true",
      failure_description: "The phone could not be reached: it may be off, out of coverage or unable to receive SMS.",
      failure_action: "Send it again later; if it keeps failing, confirm the number with the recipient.",
    });
    expect(cells.get(live[2].messageId)?.country).toBe("");
    expect(cells.get(live[0].messageId)?.delivered_at).toBe(live[0].deliveredAt!.toISOString());
  });

  it("quotes a cell with a comma, a quote or a line break (RFC 4180), and reads back the same", async () => {
    const res = await download();
    expect(res.body).toContain(',"Ac,me",');
    expect(res.body).toContain(',"Say ""hi""",');
    expect(res.body).toContain(',"Line\nBreak",');
    const cells = byMessageId(res.body);
    expect(cells.get(live[0].messageId)?.sender_id).toBe("Ac,me");
    expect(cells.get(live[2].messageId)?.sender_id).toBe("Line\nBreak");
  });

  it("prefixes free text starting with = + - @, tab or CR with ', but not E.164 numbers", async () => {
    const cells = byMessageId((await download()).body);
    const senderOf = (i: number) => cells.get(live[i].messageId)?.sender_id;
    expect(senderOf(3)).toBe("'=cmd|' /C calc'!A0");
    expect(senderOf(4)).toBe("'+x");
    expect(senderOf(5)).toBe("'-x");
    expect(senderOf(6)).toBe("'@x");
    expect(senderOf(7)).toBe("'\tTab");
    expect(senderOf(8)).toBe("'\rCR");
    expect(senderOf(9)).toBe("+14155551234");
    expect(senderOf(10)).toBe("Acme");
    for (const row of cells.values()) expect(row.recipient).toBe("+447911123456");
  });

  it("applies the filters", async () => {
    const delivered = byMessageId((await download("?status=delivered")).body);
    expect([...delivered.keys()].sort()).toEqual(
      live
        .filter((r) => r.status === "DELIVRD")
        .map((r) => r.messageId)
        .sort(),
    );
    expect(byMessageId((await download("?country=ZZ")).body).size).toBe(1);
    expect(byMessageId((await download("?source=broadcasts")).body).size).toBe(0);
  });

  it("never exports test messages for a live key, nor the reverse, nor another workspace's", async () => {
    const liveIds = [...byMessageId((await download()).body).keys()];
    expect(liveIds.sort()).toEqual(live.map((r) => r.messageId).sort());
    expect([...byMessageId((await download("", testKey)).body).keys()]).toEqual([test[0].messageId]);
    expect([...byMessageId((await download("", stagingKey)).body).keys()]).toEqual([staging[0].messageId]);
  });

  it("answers INVALID_PARAMETER in JSON for a bad parameter", async () => {
    for (const query of ["?period=all", "?source=x", "?from=2025-02-02&to=2025-02-01", "?status=FAILED"]) {
      expectApiError(await download(query), 400, "INVALID_PARAMETER");
    }
  });

  it("answers INVALID_PARAMETER in JSON, never a CSV cut short, for a filter the database cannot take", async () => {
    for (const query of ["?phone=%00", "?sender=a%00b", "?to=9999-12-31", "?from=0000-01-01"]) {
      const res = await download(query);
      expectApiError(res, 400, "INVALID_PARAMETER");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });

  it("answers 500 INTERNAL_ERROR in JSON, with no CSV byte, when the first batch cannot be read", async () => {
    const select = vi.spyOn(runtime.db, "select").mockImplementation(() => {
      throw new Error("connection lost");
    });
    try {
      const res = await download();
      expectApiError(res, 500, "INTERNAL_ERROR");
      expect(res.headers.get("content-disposition")).toBeNull();
    } finally {
      select.mockRestore();
    }
  });
});

describe("exportCsv", () => {
  const scope = () => ({ workspaceId: t.seed.mainWorkspaceId, mode: "live" as const });
  const read = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

  it("pages by (created_at, id) without losing or repeating rows that share a timestamp", async () => {
    const same = new Date("2024-06-01T10:00:00.123Z");
    const tied = await insertMessages(
      t.db,
      Array.from({ length: 7 }, () => messageRow(t.seed.mainWorkspaceId, { createdAt: same })),
    );
    try {
      const filter = exportQuery.parse({ from: "2024-06-01", to: "2024-06-01" });
      const text = await read(await exportCsv(t.db, scope(), filter, { batchSize: 2 }));
      const ids = records(text)
        .slice(1)
        .map((r) => Number(r[0]));
      expect(ids).toEqual(tied.map((r) => r.id).sort((a, b) => b - a));
    } finally {
      await t.db.delete(messages).where(
        inArray(
          messages.id,
          tied.map((r) => r.id),
        ),
      );
    }
  });

  it("stops at the row limit", async () => {
    const text = await read(await exportCsv(t.db, scope(), exportQuery.parse({}), { maxRows: 3, batchSize: 2 }));
    expect(records(text)).toHaveLength(4);
  });

  /** The test database, failing every `select` after the first `working` ones. */
  const failingAfter = (working: number) => {
    let calls = 0;
    return new Proxy(t.db, {
      get: (target, name, receiver) =>
        name === "select" && ++calls > working
          ? () => {
              throw new Error("connection lost");
            }
          : Reflect.get(target, name, receiver),
    });
  };

  it("errors the stream, rather than ending it as if complete, when the database fails mid-export, and logs it", async () => {
    const logged = vi.spyOn(log, "error");
    try {
      const reader = (await exportCsv(failingAfter(1), scope(), exportQuery.parse({ period: "30d" }), { batchSize: 2 })).getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe(`${HEADER}\r\n`);
      expect(records(new TextDecoder().decode((await reader.read()).value))).toHaveLength(2);
      await expect(reader.read()).rejects.toThrow("connection lost");
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ written: 2 }), "sms export failed mid-stream");
    } finally {
      logged.mockRestore();
    }
  });

  it("fails before handing out a stream when the first batch fails: no CSV byte precedes the error", async () => {
    await expect(exportCsv(failingAfter(0), scope(), exportQuery.parse({}))).rejects.toThrow("connection lost");
  });

  it("hands out the header first, then a batch per read, and can be cancelled", async () => {
    const reader = (await exportCsv(t.db, scope(), exportQuery.parse({}), { batchSize: 1 })).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(`${HEADER}\r\n`);
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
  });
});

describe("formulaSafe", () => {
  it("prefixes formula starts and leaves E.164 numbers and plain text alone", () => {
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "+44 7911", "+0123456789"]) expect(formulaSafe(s)).toBe(`'${s}`);
    for (const s of ["+447911123456", "+14155551234", "Acme", "a=b", "", "'quoted"]) expect(formulaSafe(s)).toBe(s);
  });
});

/**
 * 200,000 rows on both drivers: the insert is one INSERT … SELECT
 * generate_series, and the whole test takes about 7 s on Postgres and 14 s
 * on PGlite, so PGlite needs no smaller count.
 */
const LARGE = 200_000;

/** The failure columns of a bulk row (status code 000, which has no failure: the status decides). */
function failureCells(status: string): unknown[] {
  const line = expect.stringMatching(/^[A-Z].+\.$/);
  if (status === "UNDELIV") return ["unreachable", "true", line, line];
  if (status === "failed") return ["carrier_rejected", "false", line, line];
  return ["", "", "", ""];
}

describe(`a large export (${LARGE.toLocaleString("en")} rows)`, () => {
  it("streams every row once, in order, matching the database", async () => {
    const ws = t.seed.mainWorkspaceId;
    // Pairs of rows share a timestamp with a microsecond part, so keyset paging must keep full precision and break ties on id.
    await t.db.execute(sql`
        INSERT INTO messages (message_id, workspace_id, mode, source, recipient, country, sender_id, body, encoding, segments, cost, currency, status, status_code, created_at, delivered_at)
        SELECT 'api_' || ${ws}::int || '_bulk_' || g, ${ws}::int, 'live', 'api', '+4479' || lpad(g::text, 8, '0'), 'GB',
               (ARRAY['Acme', '+14155551234', '=cmd', 'Bank'])[1 + g % 4], 'SECRET bulk ' || g, 'GSM-7', 1 + g % 3,
               CASE WHEN g % 4 = 3 THEN 0 ELSE round((g % 997) * 0.00013 + 0.01, 5) END, 'EUR',
               (ARRAY['DELIVRD', 'UNDELIV', 'pending', 'failed'])[1 + g % 4], '000', ts,
               CASE WHEN g % 4 = 0 THEN ts + interval '3 seconds' END
        FROM generate_series(1, ${LARGE}::int) AS g,
             LATERAL (SELECT timestamptz '2025-01-04 00:00:00+00' - ((g::bigint / 2) * 1234567) * interval '1 microsecond' AS ts) AS x`);

    // Read the body as a client does, chunk by chunk: one chunk per batch of 5,000 rows.
    const startedAt = performance.now();
    const headers = new Headers({ "x-api-key": liveKey, [CLIENT_ADDRESS_HEADER]: randomAddress() });
    const res = await exportRoute.GET(
      new NextRequest("http://localhost/api/v1/sms/messages/unified/export?from=2025-01-01&to=2025-01-04", { headers }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="messages-2025-01-01-2025-01-04.csv"');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let chunks = 0;
    let largestChunk = 0;
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      chunks++;
      largestChunk = Math.max(largestChunk, part.value.byteLength);
      text += decoder.decode(part.value, { stream: true });
    }
    const elapsed = performance.now() - startedAt;
    expect(chunks).toBe(1 + LARGE / 5000);
    // A batch, never the whole file (~40 MB): 5,000 rows of ~400 bytes at most, the failure columns included.
    expect(largestChunk).toBeLessThan(2_000_000);
    expect(text).not.toMatch(/SECRET/);
    const [header, ...rows] = records(text);
    expect(header.join(",")).toBe(HEADER);
    expect(rows).toHaveLength(LARGE);

    const inRange = and(
      eq(messages.workspaceId, ws),
      eq(messages.mode, "live"),
      gte(messages.createdAt, new Date("2025-01-01T00:00:00Z")),
      lt(messages.createdAt, new Date("2025-01-05T00:00:00Z")),
    );
    const order = await t.db.select({ id: messages.id }).from(messages).where(inRange).orderBy(desc(messages.createdAt), desc(messages.id));
    expect(rows.map((r) => Number(r[0]))).toEqual(order.map((r) => r.id));

    const sampleIds = rows.filter((_, i) => i % Math.floor(LARGE / 50) === 0 || i === rows.length - 1).map((r) => Number(r[0]));
    const sample = await t.db.select().from(messages).where(inArray(messages.id, sampleIds)).orderBy(asc(messages.id));
    const csvById = new Map(rows.map((r) => [Number(r[0]), r]));
    for (const m of sample) {
      expect(csvById.get(m.id)).toEqual([
        String(m.id),
        "api",
        m.messageId,
        m.recipient,
        "GB",
        m.senderId === "=cmd" ? "'=cmd" : m.senderId,
        m.status,
        "000",
        String(m.segments),
        String(Number(m.cost)),
        "EUR",
        m.createdAt.toISOString(),
        m.deliveredAt?.toISOString() ?? "",
        ...failureCells(m.status),
      ]);
    }
    expect(sample.length).toBeGreaterThanOrEqual(50);
    console.info(`export of ${LARGE} rows (${t.driver}): ${Math.round(elapsed)} ms`);
  }, 180_000);
});
