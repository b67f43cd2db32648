import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GSM7_BASIC, GSM7_EXTENSION, MAX_SEGMENTS, countSegments, detectEncoding, splitSegments, type Encoding } from "./encoding";
import { validateSendBody } from "./send-input";

// ---------------------------------------------------------------------------------------------
// Independent reference, written from GSM 03.38 and docs/api-v1.md §3 without reusing the module under test:
// the alphabet is given as code points (not literals), text is walked by UTF-16 index with
// surrogate pairs recognised by hand (not for..of), and segments are cut by code-unit offsets.
// ---------------------------------------------------------------------------------------------

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** GSM 03.38 default alphabet minus ESC (0x1B), as Unicode code points. */
const REF_BASIC_CODEPOINTS: readonly number[] = [
  0x0a,
  0x0d,
  0x5f, // LF, CR, _
  ...range(0x20, 0x23), // space ! " #
  ...range(0x25, 0x3f), // % & ' ( ) * + , - . / 0-9 : ; < = > ?
  ...range(0x41, 0x5a), // A-Z
  ...range(0x61, 0x7a), // a-z
  0x40,
  0xa3,
  0x24,
  0xa5,
  0xe8,
  0xe9,
  0xf9,
  0xec,
  0xf2,
  0xc7,
  0xd8,
  0xf8,
  0xc5,
  0xe5, // @ £ $ ¥ è é ù ì ò Ç Ø ø Å å
  0x394,
  0x3a6,
  0x393,
  0x39b,
  0x3a9,
  0x3a0,
  0x3a8,
  0x3a3,
  0x398,
  0x39e, // Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ
  0xc6,
  0xe6,
  0xdf,
  0xc9,
  0xa4, // Æ æ ß É ¤
  0xa1,
  0xc4,
  0xd6,
  0xd1,
  0xdc,
  0xa7, // ¡ Ä Ö Ñ Ü §
  0xbf,
  0xe4,
  0xf6,
  0xf1,
  0xfc,
  0xe0, // ¿ ä ö ñ ü à
];
/** GSM 03.38 extension table: FF ^ { } \ [ ~ ] | € */
const REF_EXT_CODEPOINTS: readonly number[] = [0x0c, 0x5e, 0x7b, 0x7d, 0x5c, 0x5b, 0x7e, 0x5d, 0x7c, 0x20ac];

const REF_BASIC = new Set(REF_BASIC_CODEPOINTS);
const REF_EXT = new Set(REF_EXT_CODEPOINTS);

const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;

/** Code-unit length of the character starting at index i (2 for a well-formed surrogate pair). */
function refCharLen(text: string, i: number): number {
  return isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
}

function refEncoding(text: string): Encoding {
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (!REF_BASIC.has(u) && !REF_EXT.has(u)) return "UCS-2"; // includes every surrogate
  }
  return "GSM-7";
}

/** Cost of the character starting at index i. */
function refCost(text: string, i: number, enc: Encoding): number {
  if (enc === "UCS-2") return refCharLen(text, i);
  return REF_EXT.has(text.charCodeAt(i)) ? 2 : 1;
}

/** Cost of a whole string (used to check each segment on its own, in the message's encoding). */
function refUnits(text: string, enc: Encoding): number {
  let n = 0;
  for (let i = 0; i < text.length; i += refCharLen(text, i)) n += refCost(text, i, enc);
  return n;
}

/** Greedy simulation: grows each segment character by character from scratch. */
function refSplit(text: string): { encoding: Encoding; units: number; perSegment: number; parts: string[] } {
  const encoding = refEncoding(text);
  const units = refUnits(text, encoding);
  const single = encoding === "GSM-7" ? 160 : 70;
  const multi = encoding === "GSM-7" ? 153 : 67;
  if (text.length === 0) return { encoding, units, perSegment: single, parts: [] };
  if (units <= single) return { encoding, units, perSegment: single, parts: [text] };
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = start;
    let fill = 0;
    while (end < text.length && fill + refCost(text, end, encoding) <= multi) {
      fill += refCost(text, end, encoding);
      end += refCharLen(text, end);
    }
    parts.push(text.slice(start, end));
    start = end;
  }
  return { encoding, units, perSegment: multi, parts };
}

/** Closed-form count, valid only when every character costs exactly 1 unit. */
function formulaCount(n: number, enc: Encoding): number {
  const [single, multi] = enc === "GSM-7" ? [160, 153] : [70, 67];
  if (n === 0) return 0;
  return n <= single ? 1 : Math.ceil(n / multi);
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const BASIC_CHARS = REF_BASIC_CODEPOINTS.map((c) => String.fromCodePoint(c));
const EXT_CHARS = REF_EXT_CODEPOINTS.map((c) => String.fromCodePoint(c));

const basicChar = fc.constantFrom(...BASIC_CHARS);
const extChar = fc.constantFrom(...EXT_CHARS);
const cyrillicChar = fc.integer({ min: 0x400, max: 0x4ff }).map((c) => String.fromCodePoint(c));
const astralChar = fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c));
/** Any code point at all, including lone surrogates (which may pair up with a neighbour). */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));

/** Lengths spread over 0..1700 with extra weight right around the segment boundaries. */
const length = fc.oneof(
  fc.nat({ max: 1700 }),
  fc.constantFrom(67, 70, 134, 153, 160, 201, 306, 459, 1530).chain((b) => fc.integer({ min: b - 3, max: b + 3 })),
);

const stringOf = (unit: fc.Arbitrary<string>) =>
  length.chain((n) => fc.array(unit, { minLength: n, maxLength: n })).map((cs) => cs.join(""));

const gsmBasicText = stringOf(basicChar);
const gsmWithExtText = stringOf(fc.oneof({ arbitrary: basicChar, weight: 3 }, { arbitrary: extChar, weight: 1 }));
const mixedText = fc.oneof(
  // mostly GSM with the odd non-GSM character: exercises both encodings near the boundaries
  stringOf(
    fc.oneof(
      { arbitrary: basicChar, weight: 200 },
      { arbitrary: extChar, weight: 20 },
      { arbitrary: astralChar, weight: 1 },
      { arbitrary: cyrillicChar, weight: 1 },
    ),
  ),
  // dense Unicode: emoji, Cyrillic, any code point (incl. lone surrogates), GSM extension chars
  stringOf(
    fc.oneof(
      { arbitrary: basicChar, weight: 3 },
      { arbitrary: extChar, weight: 1 },
      { arbitrary: astralChar, weight: 2 },
      { arbitrary: cyrillicChar, weight: 1 },
      { arbitrary: anyCodePoint, weight: 1 },
    ),
  ),
);

const GENERATORS: [string, fc.Arbitrary<string>][] = [
  ["GSM basic chars only", gsmBasicText],
  ["GSM basic + extension chars", gsmWithExtText],
  ["mixed with random Unicode incl. astral emoji", mixedText],
];

const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------------------------------------
// Example tests
// ---------------------------------------------------------------------------------------------

const latin = (n: number) => "abcdefghij".repeat(Math.ceil(n / 10)).slice(0, n);
const cyrillic = (n: number) => "д".repeat(n);
const EMOJI = "😀"; // U+1F600, a surrogate pair

describe("GSM 03.38 tables", () => {
  it("the basic table has the 127 usable characters of GSM 03.38 (128 codes minus ESC), matching the spec's code points", () => {
    expect(GSM7_BASIC.size).toBe(127);
    expect([...GSM7_BASIC].map((c) => c.codePointAt(0)).sort((a, b) => a! - b!)).toEqual([...REF_BASIC_CODEPOINTS].sort((a, b) => a - b));
  });

  it("the extension table is exactly FF ^ { } \\ [ ~ ] | €", () => {
    expect(GSM7_EXTENSION.size).toBe(10);
    expect(new Set(GSM7_EXTENSION)).toEqual(new Set(["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]));
  });

  it("the basic and extension tables do not overlap", () => {
    for (const c of GSM7_EXTENSION) expect(GSM7_BASIC.has(c)).toBe(false);
  });

  it("ESC (0x1B) is not a usable character", () => {
    expect(GSM7_BASIC.has("\u001b")).toBe(false);
    expect(GSM7_EXTENSION.has("\u001b")).toBe(false);
    expect(detectEncoding("hi\u001b")).toBe("UCS-2");
  });

  it("the Greek capitals are the Greek code points, not Latin look-alikes", () => {
    for (const c of ["\u0394", "\u03A6", "\u0393", "\u039B", "\u03A9", "\u03A0", "\u03A8", "\u03A3", "\u0398", "\u039E"]) {
      expect(GSM7_BASIC.has(c)).toBe(true);
    }
  });
});

describe("detectEncoding", () => {
  it("every basic and every extension character alone is GSM-7", () => {
    for (const c of [...GSM7_BASIC, ...GSM7_EXTENSION]) expect(detectEncoding(c)).toBe("GSM-7");
  });

  it("the empty string is GSM-7", () => {
    expect(detectEncoding("")).toBe("GSM-7");
  });

  it.each([
    ["lowercase ç (only Ç is in the table)", "ç"],
    ["backtick", "`"],
    ["tab", "\t"],
    ["non-breaking space", "\u00a0"],
    ["Cyrillic", "д"],
    ["emoji (astral)", EMOJI],
    ["lone high surrogate", "\ud83d"],
    ["lone low surrogate", "\ude00"],
    ["Latin A with acute", "á"],
    ["curly quote", "\u2019"],
  ])("one non-GSM character (%s) makes the whole text UCS-2", (_, c) => {
    expect(detectEncoding(c)).toBe("UCS-2");
    expect(detectEncoding(latin(100) + c + latin(100))).toBe("UCS-2");
  });
});

describe("countSegments / splitSegments: the table from the issue", () => {
  it.each<[string, string, Encoding, number, number, number]>([
    // label, text, encoding, units, perSegment, segments
    ["160 Latin chars → GSM-7, 1 segment", latin(160), "GSM-7", 160, 160, 1],
    ["161 Latin chars → GSM-7, 2 segments", latin(161), "GSM-7", 161, 153, 2],
    ["306 Latin chars → GSM-7, 2 segments (2×153)", latin(306), "GSM-7", 306, 153, 2],
    ["307 Latin chars → GSM-7, 3 segments", latin(307), "GSM-7", 307, 153, 3],
    ["49 chars + 1 emoji = 51 units → UCS-2, 1 segment", latin(49) + EMOJI, "UCS-2", 51, 70, 1],
    ["50 chars + 1 emoji = 52 units → UCS-2, 1 segment", latin(50) + EMOJI, "UCS-2", 52, 70, 1],
    ["68 chars + 1 emoji = 70 units → UCS-2, 1 segment", latin(68) + EMOJI, "UCS-2", 70, 70, 1],
    ["69 chars + 1 emoji = 71 units → UCS-2, 2 segments", latin(69) + EMOJI, "UCS-2", 71, 67, 2],
    ["70 Cyrillic → UCS-2, 1 segment", cyrillic(70), "UCS-2", 70, 70, 1],
    ["71 Cyrillic → UCS-2, 2 segments", cyrillic(71), "UCS-2", 71, 67, 2],
    ["134 Cyrillic → UCS-2, 2 segments (2×67)", cyrillic(134), "UCS-2", 134, 67, 2],
    ["135 Cyrillic → UCS-2, 3 segments", cyrillic(135), "UCS-2", 135, 67, 3],
    ["150 Latin + 1 emoji = 152 units → UCS-2, 3 segments", latin(150) + EMOJI, "UCS-2", 152, 67, 3],
    ["158 chars + € = 160 septets → GSM-7, 1 segment", latin(158) + "€", "GSM-7", 160, 160, 1],
    ["159 chars + € = 161 septets → GSM-7, 2 segments", latin(159) + "€", "GSM-7", 161, 153, 2],
    ["80 extension chars = 160 septets → GSM-7, 1 segment", "€".repeat(80), "GSM-7", 160, 160, 1],
    ["form feed counts 2 septets", latin(159) + "\f", "GSM-7", 161, 153, 2],
    ["CR and LF count 1 septet each", latin(158) + "\r\n", "GSM-7", 160, 160, 1],
    ["1530 Latin chars → 10 segments (the maximum)", latin(1530), "GSM-7", 1530, 153, MAX_SEGMENTS],
    ["1531 Latin chars → 11 segments (caller reports MESSAGE_TOO_LONG)", latin(1531), "GSM-7", 1531, 153, 11],
    ["670 Cyrillic → 10 segments (the maximum)", cyrillic(670), "UCS-2", 670, 67, MAX_SEGMENTS],
    ["671 Cyrillic → 11 segments", cyrillic(671), "UCS-2", 671, 67, 11],
  ])("%s", (_, text, encoding, units, perSegment, segments) => {
    expect(countSegments(text)).toEqual({ encoding, units, perSegment, segments });
    expect(splitSegments(text)).toHaveLength(segments);
    expect(splitSegments(text).join("")).toBe(text);
  });

  it("a send may take 10 segments, never 11: MESSAGE_TOO_LONG where 2-unit characters fill each segment one unit short", () => {
    const send = (message: string) => validateSendBody({ to: ["+441234567890"], message, sender_id: "Acme" });
    // 76 € (152 septets) per segment: a 153rd septet cannot hold half a €. 33 emoji (66 units) per segment of 67.
    expect(send("€".repeat(760))).toMatchObject({ ok: true, value: { encoding: "GSM-7", segments: 10 } });
    expect(send(EMOJI.repeat(330))).toMatchObject({ ok: true, value: { encoding: "UCS-2", segments: 10 } });
    for (const message of ["€".repeat(761), EMOJI.repeat(331)]) {
      expect(send(message)).toMatchObject({ ok: false, code: "MESSAGE_TOO_LONG", description: expect.stringContaining("11") });
    }
  });

  it("the empty string has 0 segments and splits into nothing", () => {
    expect(countSegments("")).toEqual({ encoding: "GSM-7", segments: 0, units: 0, perSegment: 160 });
    expect(splitSegments("")).toEqual([]);
  });

  it("a single-segment message is returned whole by splitSegments", () => {
    expect(splitSegments(latin(160))).toEqual([latin(160)]);
    expect(splitSegments(cyrillic(70))).toEqual([cyrillic(70)]);
  });

  it("161 Latin chars split as 153 + 8", () => {
    expect(splitSegments(latin(161)).map((s) => s.length)).toEqual([153, 8]);
  });

  it("an extension char at septets 152–153 goes wholly into segment 2 (segment 1 ends one septet early)", () => {
    const text = latin(152) + "€" + latin(10);
    const parts = splitSegments(text);
    expect(parts).toEqual([latin(152), "€" + latin(10)]);
    expect(countSegments(text).segments).toBe(2);
  });

  it("an extension char that ends exactly on septet 153 stays in segment 1", () => {
    const text = latin(151) + "€" + latin(10);
    expect(splitSegments(text)).toEqual([latin(151) + "€", latin(10)]);
  });

  it("a boundary shift caused by an extension char can add a segment (306 septets → 3 segments)", () => {
    const a = (n: number) => "a".repeat(n);
    const text = a(152) + "€" + a(152); // 306 septets, but segment 1 holds only 152
    expect(countSegments(text)).toEqual({ encoding: "GSM-7", units: 306, perSegment: 153, segments: 3 });
    expect(splitSegments(text)).toEqual([a(152), "€" + a(151), a(1)]);
  });

  it("a surrogate pair at the 67 boundary is not split (segment 1 ends one unit early)", () => {
    const text = cyrillic(66) + EMOJI + cyrillic(10);
    const parts = splitSegments(text);
    expect(parts).toEqual([cyrillic(66), EMOJI + cyrillic(10)]);
    expect(countSegments(text)).toEqual({ encoding: "UCS-2", units: 78, perSegment: 67, segments: 2 });
  });

  it("a surrogate pair that ends exactly on unit 67 stays in segment 1", () => {
    const text = cyrillic(65) + EMOJI + cyrillic(10);
    expect(splitSegments(text)).toEqual([cyrillic(65) + EMOJI, cyrillic(10)]);
  });

  it("a boundary shift caused by a surrogate pair can add a segment (134 units → 3 segments)", () => {
    const text = cyrillic(66) + EMOJI + cyrillic(66);
    expect(countSegments(text)).toEqual({ encoding: "UCS-2", units: 134, perSegment: 67, segments: 3 });
    expect(splitSegments(text)).toEqual([cyrillic(66), EMOJI + cyrillic(65), cyrillic(1)]);
  });

  it("an all-emoji message splits into 33 emoji (66 units) per segment", () => {
    const text = EMOJI.repeat(40); // 80 units
    expect(splitSegments(text)).toEqual([EMOJI.repeat(33), EMOJI.repeat(7)]);
  });

  it("a lone surrogate counts as one UCS-2 unit and may sit anywhere", () => {
    const text = cyrillic(66) + "\ud83d" + cyrillic(10);
    expect(countSegments(text)).toEqual({ encoding: "UCS-2", units: 77, perSegment: 67, segments: 2 });
    expect(splitSegments(text)).toEqual([cyrillic(66) + "\ud83d", cyrillic(10)]);
  });

  it("in a UCS-2 message, extension characters cost one unit like any BMP char", () => {
    expect(countSegments("д" + "€".repeat(69))).toEqual({ encoding: "UCS-2", units: 70, perSegment: 70, segments: 1 });
  });

  it("countSegments(text).segments === splitSegments(text).length on the examples above", () => {
    for (const text of [
      "",
      latin(160),
      latin(161),
      latin(152) + "€" + latin(152),
      cyrillic(66) + EMOJI + cyrillic(66),
      EMOJI.repeat(400),
      "€".repeat(800),
    ]) {
      expect(countSegments(text).segments).toBe(splitSegments(text).length);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

describe("properties", () => {
  it("GSM basic chars only: matches the closed-form count (160, then ceil(n/153))", () => {
    fc.assert(
      fc.property(gsmBasicText, (text) => {
        const info = countSegments(text);
        expect(info.encoding).toBe("GSM-7");
        expect(info.units).toBe(text.length);
        expect(info.segments).toBe(formulaCount(text.length, "GSM-7"));
        expect(info.perSegment).toBe(text.length <= 160 ? 160 : 153);
      }),
      RUNS,
    );
  });

  it("BMP non-GSM text without surrogates: matches the closed-form count (70, then ceil(n/67))", () => {
    fc.assert(
      fc.property(
        stringOf(fc.oneof(basicChar, extChar, cyrillicChar)).filter((t) => refEncoding(t) === "UCS-2"),
        (text) => {
          const info = countSegments(text);
          expect(info.encoding).toBe("UCS-2");
          expect(info.units).toBe(text.length);
          expect(info.segments).toBe(formulaCount(text.length, "UCS-2"));
        },
      ),
      RUNS,
    );
  });

  it("GSM with extension chars: segments lie between ceil(septets/153) and ceil(septets/152)", () => {
    fc.assert(
      fc.property(gsmWithExtText, (text) => {
        const info = countSegments(text);
        expect(info.encoding).toBe("GSM-7");
        if (info.units > 160) {
          expect(info.segments).toBeGreaterThanOrEqual(Math.ceil(info.units / 153));
          expect(info.segments).toBeLessThanOrEqual(Math.ceil(info.units / 152));
        }
      }),
      RUNS,
    );
  });

  describe.each(GENERATORS)("%s", (_, gen) => {
    it("countSegments and splitSegments agree with the independent greedy simulation", () => {
      fc.assert(
        fc.property(gen, (text) => {
          const ref = refSplit(text);
          expect(detectEncoding(text)).toBe(ref.encoding);
          expect(countSegments(text)).toEqual({
            encoding: ref.encoding,
            units: ref.units,
            perSegment: ref.perSegment,
            segments: ref.parts.length,
          });
          expect(splitSegments(text)).toEqual(ref.parts);
        }),
        RUNS,
      );
    });

    it("countSegments(text).segments === splitSegments(text).length", () => {
      fc.assert(
        fc.property(gen, (text) => {
          expect(countSegments(text).segments).toBe(splitSegments(text).length);
        }),
        RUNS,
      );
    });

    it("splitting then joining is the identity", () => {
      fc.assert(
        fc.property(gen, (text) => {
          expect(splitSegments(text).join("")).toBe(text);
        }),
        RUNS,
      );
    });

    it("every segment fits (≤160/70 when single, ≤153/67 when multipart) and none is empty", () => {
      fc.assert(
        fc.property(gen, (text) => {
          const { encoding, perSegment } = countSegments(text);
          const parts = splitSegments(text);
          const limit = encoding === "GSM-7" ? (parts.length > 1 ? 153 : 160) : parts.length > 1 ? 67 : 70;
          expect(perSegment).toBe(limit);
          for (const p of parts) {
            expect(p.length).toBeGreaterThan(0);
            expect(refUnits(p, encoding)).toBeLessThanOrEqual(limit);
          }
        }),
        RUNS,
      );
    });

    it("each segment is valid on its own: no surrogate pair or extension char is split (segment costs sum to the total)", () => {
      fc.assert(
        fc.property(gen, (text) => {
          const { encoding, units } = countSegments(text);
          const parts = splitSegments(text);
          for (let k = 1; k < parts.length; k++) {
            const prev = parts[k - 1];
            const next = parts[k];
            const pairSplit = isHigh(prev.charCodeAt(prev.length - 1)) && isLow(next.charCodeAt(0));
            expect(pairSplit).toBe(false);
          }
          // Each segment costed alone, in the message's encoding, adds up to the message's cost:
          // no 2-unit character had its halves counted in two different segments.
          expect(parts.reduce((sum, p) => sum + refUnits(p, encoding), 0)).toBe(units);
        }),
        RUNS,
      );
    });

    it("segments are filled greedily: a segment ends early only when the next character would not fit", () => {
      fc.assert(
        fc.property(gen, (text) => {
          const { encoding } = countSegments(text);
          const parts = splitSegments(text);
          if (parts.length < 2) return;
          const limit = encoding === "GSM-7" ? 153 : 67;
          for (let k = 0; k < parts.length - 1; k++) {
            const next = parts[k + 1];
            const withNextChar = parts[k] + next.slice(0, refCharLen(next, 0));
            expect(refUnits(withNextChar, encoding)).toBeGreaterThan(limit);
          }
        }),
        RUNS,
      );
    });
  });
});
