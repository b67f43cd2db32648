import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isStorableText } from "./text";

describe("isStorableText", () => {
  it("refuses a NUL and an unpaired surrogate anywhere", () => {
    for (const s of ["\0", "a\0b", "\ud800", "a\ud800", "\udc00b", "\udc00\ud800", "ok\ud83d"])
      expect(isStorableText(s), JSON.stringify(s)).toBe(false);
  });

  it("accepts any other text, emoji (surrogate pairs) included", () => {
    for (const s of ["", "hello", "€ ^ { }", "😀", "a😀b", "\u0001\u001f\ufffd"]) expect(isStorableText(s)).toBe(true);
  });

  it("agrees with a strict UTF-8 round trip for any string without NUL", () => {
    const unit = fc.nat(0xffff).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (s) => {
        const roundTrips = Buffer.from(s, "utf8").toString("utf8") === s;
        expect(isStorableText(s)).toBe(roundTrips && !s.includes("\0"));
      }),
    );
  });
});
