/**
 * The message query (docs/api-v1.md §3): periods in UTC with `to` inclusive, the
 * status mapping, and a named INVALID_PARAMETER-ready issue for every bad value.
 */
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { apiErrorFromZod } from "@/lib/api/guard/parse-input";
import {
  addDays,
  EARLIEST_DAY,
  isoDay,
  latestDay,
  daysBetween,
  daysOf,
  dailyStatsQuery,
  escapeLike,
  messagesQuery,
  presetRange,
  resolveRange,
  statsQuery,
  unifiedQuery,
} from "./filters";

const NOW = new Date("2026-03-04T15:30:00Z");

describe("presetRange", () => {
  it.each([
    ["today", "2026-03-04", "2026-03-04"],
    ["yesterday", "2026-03-03", "2026-03-03"],
    ["7d", "2026-02-26", "2026-03-04"],
    ["30d", "2026-02-03", "2026-03-04"],
    ["this_month", "2026-03-01", "2026-03-04"],
    ["last_month", "2026-02-01", "2026-02-28"],
  ] as const)("resolves %s to inclusive UTC dates", (period, from, to) => {
    expect(presetRange(period, NOW)).toEqual({ from, to });
  });

  it("counts in UTC whatever the hour: 23:59:59.999 and 00:00 the next day are different days", () => {
    expect(presetRange("today", new Date("2026-03-04T23:59:59.999Z"))).toEqual({ from: "2026-03-04", to: "2026-03-04" });
    expect(presetRange("today", new Date("2026-03-05T00:00:00Z"))).toEqual({ from: "2026-03-05", to: "2026-03-05" });
  });

  it("handles month and year boundaries and leap years", () => {
    expect(presetRange("last_month", new Date("2026-01-15T00:00:00Z"))).toEqual({ from: "2025-12-01", to: "2025-12-31" });
    expect(presetRange("last_month", new Date("2024-03-01T00:00:00Z"))).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(presetRange("yesterday", new Date("2026-01-01T08:00:00Z"))).toEqual({ from: "2025-12-31", to: "2025-12-31" });
    expect(presetRange("this_month", new Date("2026-03-01T00:00:00Z"))).toEqual({ from: "2026-03-01", to: "2026-03-01" });
  });
});

describe("resolveRange", () => {
  it("lets from/to override the period; either alone is completed", () => {
    expect(resolveRange({ period: "today", from: "2026-01-10", to: "2026-01-12" }, NOW)).toEqual({ from: "2026-01-10", to: "2026-01-12" });
    expect(resolveRange({ period: "today", from: "2026-02-20" }, NOW)).toEqual({ from: "2026-02-20", to: "2026-03-04" });
    expect(resolveRange({ period: "today", to: "2026-01-12" }, NOW)).toEqual({ from: "2026-01-06", to: "2026-01-12" });
    expect(resolveRange({ period: "7d", from: "2026-01-12", to: "2026-01-12" }, NOW)).toEqual({ from: "2026-01-12", to: "2026-01-12" });
  });

  it("refuses from after to", () => {
    expect(resolveRange({ period: "7d", from: "2026-01-13", to: "2026-01-12" }, NOW)).toBeNull();
  });

  it("lists every day of a range, both ends included", () => {
    expect(daysOf({ from: "2024-02-27", to: "2024-03-01" })).toEqual(["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]);
    expect(daysBetween({ from: "2025-01-01", to: "2025-12-31" })).toBe(365);
  });
});

describe("status filter", () => {
  /** The stored statuses the query's `where` selects for ?status=<filter>, read off the SQL it builds. */
  function selectedStatuses(status: string): string[] {
    const { sql, params } = new PgDialect().sqlToQuery(messagesQuery.parse({ status }).where({ workspaceId: 42, mode: "live" }));
    const list = /"messages"\."status" in \(([^)]*)\)/.exec(sql);
    expect(list, sql).not.toBeNull();
    return [...list![1].matchAll(/\$(\d+)/g)].map(([, n]) => params[Number(n) - 1] as string).sort();
  }

  // docs/api-v1.md §3, "Filter mapping", written out here rather than imported.
  it.each([
    ["delivered", ["DELIVRD"]],
    ["undelivered", ["UNDELIV", "REJECTD", "failed"]],
    ["failed", ["UNDELIV", "REJECTD", "failed"]],
    ["expired", ["EXPIRED"]],
    ["pending", ["pending", "sent"]],
    ["sent", ["pending", "sent"]],
    ["unknown", ["UNKNOWN"]],
  ])("makes ?status=%s select the stored statuses %j", (filter, statuses) => {
    expect(selectedStatuses(filter)).toEqual([...statuses].sort());
  });

  it("selects every status when there is no status filter", () => {
    const { sql } = new PgDialect().sqlToQuery(messagesQuery.parse({}).where({ workspaceId: 42, mode: "live" }));
    expect(sql).not.toContain('"messages"."status"');
  });
});

describe("escapeLike", () => {
  it("makes % _ and \\ literal", () => {
    expect(escapeLike("50%_a\\b")).toBe("50\\%\\_a\\\\b");
  });
});

describe("the query schemas", () => {
  const problem = (
    schema: typeof messagesQuery | typeof unifiedQuery | typeof statsQuery | typeof dailyStatsQuery,
    query: Record<string, string>,
  ) => {
    const result = schema.safeParse(query);
    return result.success ? null : apiErrorFromZod(result.error, "INVALID_PARAMETER");
  };

  it("defaults to page 1, 25 per page, the last 7 days, API messages (lists and stats) or all (unified)", () => {
    const q = messagesQuery.parse({});
    expect(q).toMatchObject({ page: 1, limit: 25, source: "api" });
    expect(q.range).toEqual(presetRange("7d"));
    expect(unifiedQuery.parse({}).source).toBe("all");
    expect(statsQuery.parse({}).source).toBe("api");
  });

  it("treats an empty parameter as absent", () => {
    expect(
      messagesQuery.parse({ page: "", limit: "", status: "", period: "", phone: "", country: "", sender: "", from: "", to: "" }),
    ).toMatchObject({ page: 1, limit: 25 });
  });

  it.each([
    ["page", "0"],
    ["page", "-1"],
    ["page", "1.5"],
    ["page", "abc"],
    ["limit", "0"],
    ["limit", "101"],
    ["limit", "ten"],
    ["status", "DELIVRD"],
    ["status", "bounced"],
    ["period", "week"],
    ["period", "7D"],
    ["country", "GBR"],
    ["country", "G1"],
    ["from", "2026-02-30"],
    ["from", "2026/01/01"],
    ["to", "yesterday"],
    ["to", "2026-1-5"],
    ["phone", "1".repeat(33)],
  ])("refuses %s=%s, naming the parameter", (name, value) => {
    const error = problem(messagesQuery, { [name]: value });
    expect(error?.code).toBe("INVALID_PARAMETER");
    expect(error?.message.startsWith(`${name}: `)).toBe(true);
  });

  it("refuses from after to, and an unknown source, naming the parameter", () => {
    expect(problem(messagesQuery, { from: "2026-01-13", to: "2026-01-12" })?.message).toBe("from: must not be after to");
    expect(problem(unifiedQuery, { source: "sms" })?.message).toMatch(/^source: /);
    expect(problem(statsQuery, { source: "campaigns" })?.message).toMatch(/^source: /);
  });

  it("always scopes to the workspace and mode, uppercases the country and escapes the phone's wildcards", () => {
    const q = messagesQuery.parse({ country: "gb", phone: "4%_" });
    const { sql, params } = new PgDialect().sqlToQuery(q.where({ workspaceId: 42, mode: "test" }));
    expect(sql).toContain('"messages"."workspace_id" = $1');
    expect(sql).toContain('"messages"."mode" = $2');
    expect(params.slice(0, 2)).toEqual([42, "test"]);
    expect(params).toContain("GB");
    expect(params).toContain("%4\\%\\_%");
  });

  it("accepts days from 2000-01-01 to a year from today, and refuses any other, naming the parameter", () => {
    const today = isoDay(new Date());
    for (const day of [EARLIEST_DAY, today, latestDay()]) {
      expect(problem(messagesQuery, { from: day, to: day }), day).toBeNull();
    }
    for (const day of ["1999-12-31", "1970-01-01", "0000-01-01", addDays(latestDay(), 1), "9999-12-31"]) {
      for (const name of ["from", "to"]) {
        const error = problem(statsQuery, { [name]: day });
        expect(error?.code, `${name}=${day}`).toBe("INVALID_PARAMETER");
        expect(error?.message).toBe(`${name}: must be a date from 2000-01-01 to ${latestDay()}`);
      }
    }
    expect(latestDay(NOW)).toBe("2027-03-04");
  });

  it("refuses a NUL in a phone or sender filter (Postgres cannot compare it), naming the parameter", () => {
    expect(problem(messagesQuery, { phone: "44\u0000" })?.message).toMatch(/^phone: must not contain NUL/);
    expect(problem(statsQuery, { sender: "\u0000" })?.message).toMatch(/^sender: must not contain NUL/);
  });

  it("limits the daily series to 366 days", () => {
    expect(problem(dailyStatsQuery, { from: "2025-01-01", to: "2026-01-01" })).toBeNull();
    expect(problem(dailyStatsQuery, { from: "2025-01-01", to: "2026-01-02" })?.message).toMatch(/^from: .*366 days/);
    expect(problem(statsQuery, { from: "2020-01-01", to: "2026-01-02" })).toBeNull();
  });
});
