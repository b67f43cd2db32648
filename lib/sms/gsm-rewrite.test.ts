/**
 * The GSM-7 rewrite table (docs/api-v1.md §3, preview): look-alikes only, each
 * replaced by GSM-7, and the characters that force UCS-2 named where they are.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countSegments, detectEncoding, isGsm7Char } from "./encoding";
import { GSM7_LOOKALIKES, nonGsmCharacters, rewriteLookalikes } from "./gsm-rewrite";

describe("the look-alike table", () => {
  it("replaces only characters GSM-7 lacks, and only with GSM-7 text", () => {
    for (const [from, to] of Object.entries(GSM7_LOOKALIKES)) {
      expect(isGsm7Char(from), `${JSON.stringify(from)} is GSM-7 already`).toBe(false);
      expect(detectEncoding(to), `${JSON.stringify(from)} → ${JSON.stringify(to)}`).toBe("GSM-7");
    }
  });

  it("keeps letters GSM-7 lacks (á, ç, ł) as they are: they are other letters, not look-alikes", () => {
    expect(rewriteLookalikes("Olá, ça, łódź")).toBe("Olá, ça, łódź");
  });
});

describe("rewriting a message", () => {
  it("turns what a word processor writes into GSM-7: curly quotes, dashes, ellipsis, non-breaking spaces", () => {
    const typed = "\u201CYour order\u201D \u2013 it\u2019s on its way\u2026\u00A0Track: acme.test/t";
    expect(countSegments(typed).encoding).toBe("UCS-2");
    const rewritten = rewriteLookalikes(typed);
    expect(rewritten).toBe('"Your order" - it\'s on its way... Track: acme.test/t');
    expect(countSegments(rewritten).encoding).toBe("GSM-7");
  });

  it("drops invisible characters (zero-width space, soft hyphen, byte order mark)", () => {
    expect(rewriteLookalikes("\uFEFFcode\u200B 12\u00AD34")).toBe("code 1234");
  });

  it("leaves GSM-7 text unchanged (property)", () => {
    const gsm = fc.string({
      unit: fc.constantFrom(..."@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà^{}\\[~]|€"),
    });
    fc.assert(fc.property(gsm, (text) => rewriteLookalikes(text) === text));
  });

  it("makes any mix of GSM-7 text and look-alikes GSM-7 (property)", () => {
    const unit = fc.oneof(fc.constantFrom(..."abc XYZ 123.,!?"), fc.constantFrom(...Object.keys(GSM7_LOOKALIKES)));
    fc.assert(fc.property(fc.string({ unit }), (text) => detectEncoding(rewriteLookalikes(text)) === "GSM-7"));
  });
});

describe("naming the characters that force UCS-2", () => {
  it("gives each one's code point, its position in code points, and its replacement or null", () => {
    expect(nonGsmCharacters("Hi 😀 \u2014 ok\u2019")).toEqual([
      { character: "😀", codePoint: "U+1F600", position: 3, replacement: null },
      { character: "\u2014", codePoint: "U+2014", position: 5, replacement: "-" },
      { character: "\u2019", codePoint: "U+2019", position: 9, replacement: "'" },
    ]);
  });

  it("finds nothing in GSM-7 text", () => {
    expect(nonGsmCharacters("Your code is 123456 {€}")).toEqual([]);
  });
});
