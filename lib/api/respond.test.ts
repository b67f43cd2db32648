import { describe, expect, it } from "vitest";
import { newRequestId } from "./respond";

describe("newRequestId", () => {
  it("gives every request its own id of 12 random bytes, also across refills of the pool", () => {
    // 5,000 ids span ten refills of the 512-id pool; a refill that reused bytes would repeat ids.
    const ids = Array.from({ length: 5000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(/^req_[\w-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
