import { describe, expect, it } from "vitest";
import { ACCOUNT_EVENTS, DEFAULT_SUBSCRIPTIONS, EVENT_TYPES, WEBHOOK_EVENTS } from "@/db/schema";
import { ACCOUNT_EVENT_NAMES, EVENT_NAMES, MESSAGE_EVENT_NAMES } from "./event-names";

describe("the browser's event names", () => {
  it("are the catalog's, in its order, split into message and account events", () => {
    expect(EVENT_NAMES).toEqual([...EVENT_TYPES]);
    expect(MESSAGE_EVENT_NAMES).toEqual([...WEBHOOK_EVENTS]);
    expect(ACCOUNT_EVENT_NAMES).toEqual([...ACCOUNT_EVENTS]);
  });

  it("subscribe a workspace that never chose to the message events only", () => {
    expect([...DEFAULT_SUBSCRIPTIONS]).toEqual(MESSAGE_EVENT_NAMES);
  });
});
