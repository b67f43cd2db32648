/**
 * The one table of status codes (ours: docs/api-v1.md §3, `failure`): every
 * code the system produces is in it, every failure says what happened and what
 * to do, and a delivered or unfinished message has no failure.
 */
import { describe, expect, it } from "vitest";
import { MESSAGE_STATUSES, type MessageStatus } from "@/db/schema";
import { MAGIC_RECIPIENTS, STATUS_CODES, type FinalReport } from "./carrier";
import { NO_REPORT } from "./lifecycle";
import { REFUSED_STATUSES } from "./send";
import { explainStatusCode, FAILURE_CATEGORIES, failureOf, STATUS_CODE_TABLE } from "./status-codes";

/** Every (status, code) a message can end with: the carriers' reports, the sandbox's magic numbers, the finalizer, the send's refusals. */
const PRODUCED: [MessageStatus, string][] = [
  ...(Object.entries(STATUS_CODES) as [FinalReport, string][]),
  ...Object.values(MAGIC_RECIPIENTS).flatMap((m) => (m.status ? [[m.status, m.statusCode] as [MessageStatus, string]] : [])),
  ["UNDELIV", NO_REPORT],
  ...REFUSED_STATUSES.map((s): [MessageStatus, string] => ["failed", s]),
];

describe("the status code table", () => {
  it("explains every status code the system produces, in words", () => {
    expect(PRODUCED.length).toBeGreaterThanOrEqual(11);
    for (const [, code] of PRODUCED) {
      expect(Object.hasOwn(STATUS_CODE_TABLE, code), code).toBe(true);
      expect(explainStatusCode(code), code).toMatch(/^[A-Z].+\.$/);
    }
  });

  it("gives every non-delivered code a failure of a known category, with a one-line description and action", () => {
    for (const [status, code] of PRODUCED) {
      const failure = failureOf(status, code);
      if (status === "DELIVRD") {
        expect(failure, code).toBeUndefined();
        continue;
      }
      expect(failure, `${status} ${code}`).toBeDefined();
      expect(failure).toEqual(STATUS_CODE_TABLE[code].failure);
      expect(FAILURE_CATEGORIES).toContain(failure!.category);
      for (const line of [failure!.description, failure!.action]) {
        expect(line).toMatch(/^[A-Z][^\n]{10,140}\.$/);
      }
    }
  });

  it("has no failure for a delivered message, nor for one still pending or sent", () => {
    for (const status of ["DELIVRD", "pending", "sent"] as const) {
      for (const code of [null, "000", "001", "NO_REPORT"]) expect(failureOf(status, code), `${status} ${code}`).toBeUndefined();
    }
    expect(STATUS_CODE_TABLE["000"].failure).toBeNull();
  });

  it("says retry for what may pass later, and not for what will fail the same way", () => {
    const retryable = (status: MessageStatus, code: string) => failureOf(status, code)!.retryable;
    // The phone was off or out of reach: later may work.
    expect(retryable("UNDELIV", "001")).toBe(true);
    expect(retryable("EXPIRED", "003")).toBe(true);
    // The same message to the same number will be refused again.
    expect(retryable("REJECTD", "002")).toBe(false);
    expect(retryable("REJECTD", "005")).toBe(false);
    expect(retryable("UNDELIV", "006")).toBe(false);
    expect(retryable("failed", "blocked_country")).toBe(false);
    expect(retryable("failed", "config_error")).toBe(false);
  });

  it("tells the sandbox's failures apart by category", () => {
    const category = (recipient: string) => {
      const m = MAGIC_RECIPIENTS[recipient];
      return failureOf(m.status!, m.statusCode)?.category;
    };
    expect(category("+15005550001")).toBe("unreachable");
    expect(category("+15005550002")).toBe("carrier_rejected");
    expect(category("+15005550003")).toBe("expired");
    expect(category("+15005550005")).toBe("blocked_by_recipient");
    expect(category("+15005550006")).toBe("invalid_number");
    expect(failureOf("failed", "blocked_country")?.category).toBe("blocked_country");
    expect(failureOf("failed", "config_error")?.category).toBe("unsupported_destination");
    expect(failureOf("UNDELIV", NO_REPORT)?.category).toBe("unknown");
  });

  it("still gives a failure for a final status with a code it does not know (a real carrier's own), from the status", () => {
    for (const status of MESSAGE_STATUSES.filter((s) => !["DELIVRD", "pending", "sent"].includes(s))) {
      for (const code of [null, "", "X-42", "constructor", "__proto__"]) {
        const failure = failureOf(status, code);
        expect(failure, `${status} ${code}`).toBeDefined();
        expect(FAILURE_CATEGORIES).toContain(failure!.category);
      }
    }
    expect(failureOf("REJECTD", "X-42")?.category).toBe("carrier_rejected");
    expect(explainStatusCode("X-42")).toBeNull();
    expect(explainStatusCode("constructor")).toBeNull();
  });

  it("answers a copy: a caller changing it changes nothing for the next", () => {
    const first = failureOf("UNDELIV", "001")!;
    first.retryable = false;
    expect(failureOf("UNDELIV", "001")!.retryable).toBe(true);
  });
});
