/**
 * SMS encoding detection and segmentation (GSM 03.38 / UCS-2).
 *
 * - GSM-7 when every character is in the GSM 03.38 basic table or its extension table, else UCS-2.
 * - GSM-7: 160 septets in a single segment, 153 per segment when split. Extension characters cost
 *   2 septets (ESC + char) and are never split across segments.
 * - UCS-2: 70 UTF-16 code units in a single segment, 67 per segment when split. A surrogate pair
 *   (astral character such as most emoji) costs 2 units and is never split across segments.
 * - Splitting is greedy: a segment is filled until the next character no longer fits, so a segment
 *   ends one unit early exactly when a 2-unit character would straddle the boundary.
 * - More than MAX_SEGMENTS segments is MESSAGE_TOO_LONG; reporting that is the caller's job.
 */

export type Encoding = "GSM-7" | "UCS-2";

export type SegmentInfo = {
  encoding: Encoding;
  segments: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** Capacity of each segment: 160/153 for GSM-7, 70/67 for UCS-2 (single/multipart). */
  perSegment: number;
};

export const MAX_SEGMENTS = 10;

const GSM7_SINGLE = 160;
const GSM7_MULTI = 153;
const UCS2_SINGLE = 70;
const UCS2_MULTI = 67;

/**
 * GSM 03.38 default alphabet, indexed by its 7-bit code (0x00–0x7F). 0x1B is ESC, the escape to
 * the extension table, and is not a usable character, so it is left out of the set.
 */
const GSM7_BASIC_TABLE: readonly (string | null)[] = [
  // 0x00–0x0F
  "@",
  "£",
  "$",
  "¥",
  "è",
  "é",
  "ù",
  "ì",
  "ò",
  "Ç",
  "\n",
  "Ø",
  "ø",
  "\r",
  "Å",
  "å",
  // 0x10–0x1F (Greek capitals; 0x1B = ESC)
  "\u0394",
  "_",
  "\u03A6",
  "\u0393",
  "\u039B",
  "\u03A9",
  "\u03A0",
  "\u03A8",
  "\u03A3",
  "\u0398",
  "\u039E",
  null,
  "Æ",
  "æ",
  "ß",
  "É",
  // 0x20–0x2F
  " ",
  "!",
  '"',
  "#",
  "¤",
  "%",
  "&",
  "'",
  "(",
  ")",
  "*",
  "+",
  ",",
  "-",
  ".",
  "/",
  // 0x30–0x3F
  "0",
  "1",
  "2",
  "3",
  "4",
  "5",
  "6",
  "7",
  "8",
  "9",
  ":",
  ";",
  "<",
  "=",
  ">",
  "?",
  // 0x40–0x5F
  "¡",
  "A",
  "B",
  "C",
  "D",
  "E",
  "F",
  "G",
  "H",
  "I",
  "J",
  "K",
  "L",
  "M",
  "N",
  "O",
  "P",
  "Q",
  "R",
  "S",
  "T",
  "U",
  "V",
  "W",
  "X",
  "Y",
  "Z",
  "Ä",
  "Ö",
  "Ñ",
  "Ü",
  "§",
  // 0x60–0x7F
  "¿",
  "a",
  "b",
  "c",
  "d",
  "e",
  "f",
  "g",
  "h",
  "i",
  "j",
  "k",
  "l",
  "m",
  "n",
  "o",
  "p",
  "q",
  "r",
  "s",
  "t",
  "u",
  "v",
  "w",
  "x",
  "y",
  "z",
  "ä",
  "ö",
  "ñ",
  "ü",
  "à",
];

export const GSM7_BASIC: ReadonlySet<string> = new Set(GSM7_BASIC_TABLE.filter((c): c is string => c !== null));

/** GSM 03.38 extension table (each sent as ESC + char, i.e. 2 septets). */
export const GSM7_EXTENSION: ReadonlySet<string> = new Set(["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]);

export function isGsm7Char(ch: string): boolean {
  return GSM7_BASIC.has(ch) || GSM7_EXTENSION.has(ch);
}

export function detectEncoding(text: string): Encoding {
  // for..of walks code points; an astral character or a lone surrogate is never in either table.
  for (const ch of text) {
    if (!isGsm7Char(ch)) return "UCS-2";
  }
  return "GSM-7";
}

/** Cost of one code point in the given encoding. */
function widthOf(ch: string, encoding: Encoding): number {
  if (encoding === "GSM-7") return GSM7_EXTENSION.has(ch) ? 2 : 1;
  return ch.length; // 2 for a surrogate pair, 1 for a BMP char or a lone surrogate
}

type Layout = { encoding: Encoding; units: number; perSegment: number; segments: string[] };

function layout(text: string): Layout {
  const encoding = detectEncoding(text);
  const single = encoding === "GSM-7" ? GSM7_SINGLE : UCS2_SINGLE;
  const multi = encoding === "GSM-7" ? GSM7_MULTI : UCS2_MULTI;

  const chars = Array.from(text);
  let units = 0;
  for (const ch of chars) units += widthOf(ch, encoding);

  if (units === 0) return { encoding, units, perSegment: single, segments: [] };
  if (units <= single) return { encoding, units, perSegment: single, segments: [text] };

  const segments: string[] = [];
  let current = "";
  let used = 0;
  for (const ch of chars) {
    const w = widthOf(ch, encoding);
    if (used + w > multi) {
      // The character does not fit whole: close the segment (possibly one unit short).
      segments.push(current);
      current = "";
      used = 0;
    }
    current += ch;
    used += w;
  }
  segments.push(current);
  return { encoding, units, perSegment: multi, segments };
}

/**
 * Encoding, cost and segment count of a message. "" gives 0 segments (callers reject empty
 * messages before this). A result with segments > MAX_SEGMENTS means MESSAGE_TOO_LONG.
 */
export function countSegments(text: string): SegmentInfo {
  const { encoding, units, perSegment, segments } = layout(text);
  return { encoding, segments: segments.length, units, perSegment };
}

/** The segment texts, in order; joined they equal the input. "" gives []. */
export function splitSegments(text: string): string[] {
  return layout(text).segments;
}
