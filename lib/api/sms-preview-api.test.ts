/**
 * POST /api/v1/sms/preview (ours; docs/api-v1.md §3): what a send would do —
 * per recipient and in total — with the send's validation and codes, and
 * nothing stored, billed, queued or sent.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as previewRoute from "@/app/api/v1/sms/preview/route";
import { workspaces } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import type { Jobs } from "@/lib/runtime/jobs";
import { callApi, expectApiError, makeKey, randomAddress } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import { countryRates, decText, makeWorkspace, money, NUMBERS, numUnits, rows, send, setupSms, teardownSms } from "@/tests/sms";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;
let ws: { id: number; live: string; test: string };
let rates: Map<string, bigint>;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
  ws = await makeWorkspace(t, "Preview", "10.00000");
  await t.db
    .update(workspaces)
    .set({ blockedCountries: ["FR"] })
    .where(eq(workspaces.id, ws.id));
  rates = await countryRates(t.db);
});
afterAll(() => teardownSms({ t, runtime, jobs }));

const preview = (key: string, body: unknown) =>
  callApi(previewRoute.POST, {
    method: "POST",
    path: "/api/v1/sms/preview",
    key,
    body: typeof body === "string" ? body : JSON.stringify(body),
    address: randomAddress(),
  });

async function jobsQueued(): Promise<number> {
  const [row] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from pgboss.job`);
  return row.n;
}

describe("a preview", () => {
  // What Word makes of a notification: curly quotes, an en dash, an apostrophe, an ellipsis → UCS-2.
  const typed = "\u201CYour order\u201D \u2013 it\u2019s on its way\u2026 " + "Track it at acme.test/t/123456. ".repeat(2);

  it("answers per recipient and in total what the send would, with the characters that forced UCS-2 and the cheaper GSM-7 rewrite", async () => {
    const to = [NUMBERS.GB, NUMBERS.US, NUMBERS.FR, NUMBERS.noPrice];
    const res = await preview(ws.live, { to, message: typed, sender_id: "Acme" });
    expect(res.status).toBe(200);
    const { recipients, summary, ucs2_characters, gsm7_rewrite } = res.body;
    expect(summary).toMatchObject({ encoding: "UCS-2", segments: 2, total_recipients: 4, billable_recipients: 2, currency: "EUR" });
    expect(recipients.map((r: { dnis: string; country: string; status: string }) => [r.dnis, r.country, r.status])).toEqual([
      [NUMBERS.GB, "GB", "accepted"],
      [NUMBERS.US, "US", "accepted"],
      [NUMBERS.FR, "FR", "blocked_country"],
      [NUMBERS.noPrice, "CN", "config_error"],
    ]);
    const gb = rates.get("GB")!;
    const us = rates.get("US")!;
    expect(numUnits(recipients[0].price_per_segment)).toBe(gb);
    expect(numUnits(recipients[0].cost)).toBe(gb * 2n);
    expect(decText(numUnits(summary.total_cost))).toBe(decText((gb + us) * 2n));
    expect(recipients[2]).toMatchObject({ price_per_segment: null, cost: 0 });

    expect(
      ucs2_characters.map((c: { code_point: string; position: number; replacement: string }) => [c.code_point, c.position, c.replacement]),
    ).toEqual([
      ["U+201C", 0, '"'],
      ["U+201D", 11, '"'],
      ["U+2013", 13, "-"],
      ["U+2019", 17, "'"],
      ["U+2026", 30, "..."],
    ]);
    expect(gsm7_rewrite).toMatchObject({ encoding: "GSM-7", segments: 1, replaced: 5, fits: true });
    expect(gsm7_rewrite.message.startsWith('"Your order" - it\'s on its way... ')).toBe(true);
    expect(numUnits(gsm7_rewrite.total_cost)).toBe(gb + us);
    expect(numUnits(gsm7_rewrite.saving)).toBe(gb + us);
  });

  it("prices exactly what the send then bills", async () => {
    const body = { to: [NUMBERS.GB, NUMBERS.US, NUMBERS.FR], message: typed, sender_id: "Acme" };
    const previewed = await preview(ws.live, body);
    const before = await money(t.db, ws.id);
    const sent = await send({ key: ws.live, body });
    expect(sent.status).toBe(200);
    const after = await money(t.db, ws.id);
    expect(numUnits(previewed.body.summary.total_cost)).toBe(numUnits(Number(before.balance)) - numUnits(Number(after.balance)));
    expect(sent.body.summary).toMatchObject({
      total_recipients: previewed.body.summary.total_recipients,
      total_segments: previewed.body.summary.segments * previewed.body.summary.billable_recipients,
      encoding: previewed.body.summary.encoding,
    });
    expect(sent.body.results.map((r: { status: string }) => r.status)).toEqual(
      previewed.body.recipients.map((r: { status: string }) => r.status),
    );
  });

  it("stores, bills, queues and sends nothing", async () => {
    const before = await money(t.db, ws.id);
    const queued = await jobsQueued();
    for (let i = 0; i < 3; i++)
      expect((await preview(ws.live, { to: [NUMBERS.GB], message: "Hello", sender_id: "Acme" })).status).toBe(200);
    expect(await money(t.db, ws.id)).toEqual(before);
    expect(await jobsQueued()).toBe(queued);
  });

  it("offers no rewrite for GSM-7 text, and names an emoji it cannot replace", async () => {
    const plain = await preview(ws.live, { to: [NUMBERS.GB], message: "Your code is 123456", sender_id: "Acme" });
    expect(plain.body).toMatchObject({ ucs2_characters: [], gsm7_rewrite: null, summary: { encoding: "GSM-7", segments: 1 } });
    const emoji = await preview(ws.live, { to: [NUMBERS.GB], message: "Thanks 😀", sender_id: "Acme" });
    expect(emoji.body.ucs2_characters).toEqual([{ character: "😀", code_point: "U+1F600", position: 7, replacement: null }]);
    expect(emoji.body.gsm7_rewrite).toBeNull();
  });

  it("says whether the balance covers the send, and a test key's preview is a sandbox one", async () => {
    const empty = await makeWorkspace(t, "Preview empty", "0");
    const body = { to: [NUMBERS.GB], message: "Hello", sender_id: "Acme" };
    const live = await preview(empty.live, body);
    expect(live.status).toBe(200);
    expect(live.body.summary).toMatchObject({ balance: 0, balance_covers: false, sandbox: false });
    expectApiError(await send({ key: empty.live, body }), 402, "INSUFFICIENT_BALANCE");
    const test = await preview(empty.test, body);
    expect(test.body.summary).toMatchObject({ balance_covers: true, sandbox: true });
    expect((await preview(ws.live, body)).body.summary.balance_covers).toBe(true);
  });
});

describe("validation", () => {
  const bad: [string, unknown][] = [
    ["not an object", "[1]"],
    ["no to", { message: "Hi", sender_id: "Acme" }],
    ["too many", { to: Array.from({ length: 101 }, () => NUMBERS.GB), message: "Hi", sender_id: "Acme" }],
    ["a bad number", { to: [NUMBERS.GB, "12345"], message: "Hi", sender_id: "Acme" }],
    ["an empty message", { to: [NUMBERS.GB], message: "  ", sender_id: "Acme" }],
    ["too long", { to: [NUMBERS.GB], message: "é€😀".repeat(400), sender_id: "Acme" }],
    ["a bad sender", { to: [NUMBERS.GB], message: "Hi", sender_id: "1" }],
    ["unparseable JSON", "{"],
  ];
  it.each(bad)("refuses %s with the send's code and description", async (_, body) => {
    const [p, s] = [await preview(ws.live, body), await send({ key: ws.live, body })];
    expect(p.status).toBeGreaterThanOrEqual(400);
    expect({ status: p.status, code: p.body.error_code, description: p.body.description }).toEqual({
      status: s.status,
      code: s.body.error_code,
      description: s.body.description,
    });
  });

  it("needs sms.send: a read-only key is FORBIDDEN", async () => {
    const readOnly = await makeKey(t, { permissions: ["sms.read"] }, ws.id);
    expectApiError(await preview(readOnly.secret, { to: [NUMBERS.GB], message: "Hi", sender_id: "Acme" }), 403, "FORBIDDEN");
  });
});
