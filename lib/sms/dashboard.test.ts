import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { insertMessages, messageRow, noonDaysAgo } from "@/tests/messages";
import { dashboardTraffic } from "./dashboard";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
}, 60_000);
afterAll(() => t.close());

describe("the Dashboard's traffic", () => {
  it("counts today and the last 7 days, keeps 30 days of series, lists the newest messages, in one mode only", async () => {
    const ws = t.seed.mainWorkspaceId;
    const now = new Date();
    await insertMessages(t.db, [
      messageRow(ws, { createdAt: now, status: "DELIVRD", recipient: "+447700900101" }),
      messageRow(ws, { createdAt: noonDaysAgo(3), status: "UNDELIV" }),
      messageRow(ws, { createdAt: noonDaysAgo(20), status: "DELIVRD" }),
      messageRow(ws, { createdAt: now, mode: "test", recipient: "+447700900999" }),
      messageRow(t.seed.stagingWorkspaceId, { createdAt: now }),
    ]);
    const live = await dashboardTraffic(t.db, { workspaceId: ws, mode: "live" });
    expect(live.today.total_sent).toBe(1);
    expect(live.week).toMatchObject({ total_sent: 2, delivered: 1, undelivered: 1, delivery_rate: 50 });
    expect(live.days).toHaveLength(30);
    expect(live.days.reduce((n, d) => n + d.total_sent, 0)).toBe(3);
    expect(live.recent.map((m) => m.recipient)[0]).toBe("+447700900101");
    expect(live.recent).toHaveLength(3);
    const test = await dashboardTraffic(t.db, { workspaceId: ws, mode: "test" });
    expect(test.recent.map((m) => m.recipient)).toEqual(["+447700900999"]);
    expect(test.week.total_sent).toBe(1);
  });
});
