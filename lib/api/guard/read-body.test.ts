import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonDepth } from "./read-body";

/** The nesting of a parsed value, counted by walking it. */
const depthOf = (value: unknown): number =>
  value !== null && typeof value === "object" ? 1 + Math.max(0, ...Object.values(value as object).map(depthOf)) : 0;

describe("jsonDepth", () => {
  it("counts nesting of arrays and objects, not brackets inside strings or escaped quotes", () => {
    expect(jsonDepth('{"to":["+44"],"message":"hi"}')).toBe(2);
    expect(jsonDepth('{"message":"[[[{{{\\"]]]"}')).toBe(1);
    expect(jsonDepth('"\\\\"')).toBe(0);
    expect(jsonDepth("[".repeat(10_000) + "]".repeat(10_000))).toBe(10_000);
  });

  it("agrees with the parsed value's depth for any JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonDepth(JSON.stringify(value))).toBe(depthOf(value));
      }),
    );
  });
});
