import { isGsm7Char } from "./encoding";

/**
 * Look-alikes that force a message into UCS-2 (70 characters a segment instead
 * of 160) though GSM-7 has a character that reads the same: what word
 * processors and phones put in by themselves — curly quotes, dashes, the
 * ellipsis, non-breaking and typographic spaces, invisible joiners. Only
 * characters a reader would take for the replacement are here: letters with
 * accents GSM-7 lacks (á, ç…) are different letters and stay as they are.
 */
export const GSM7_LOOKALIKES: Readonly<Record<string, string>> = {
  // Quotes and apostrophes
  "\u2018": "'", // ‘ left single quotation mark
  "\u2019": "'", // ’ right single quotation mark (the typographic apostrophe)
  "\u201A": "'", // ‚ single low-9 quotation mark
  "\u201B": "'", // ‛ single high-reversed-9 quotation mark
  "\u2032": "'", // ′ prime
  "\u02BC": "'", // ʼ modifier letter apostrophe
  "\u00B4": "'", // ´ acute accent used as an apostrophe
  "\u0060": "'", // ` grave accent used as an apostrophe
  "\u201C": '"', // “ left double quotation mark
  "\u201D": '"', // ” right double quotation mark
  "\u201E": '"', // „ double low-9 quotation mark
  "\u201F": '"', // ‟ double high-reversed-9 quotation mark
  "\u2033": '"', // ″ double prime
  "\u00AB": '"', // « left-pointing double angle quotation mark
  "\u00BB": '"', // » right-pointing double angle quotation mark
  "\u2039": "<", // ‹ single left-pointing angle quotation mark
  "\u203A": ">", // › single right-pointing angle quotation mark
  // Dashes and minus signs
  "\u2010": "-", // ‐ hyphen
  "\u2011": "-", // ‑ non-breaking hyphen
  "\u2012": "-", // ‒ figure dash
  "\u2013": "-", // – en dash
  "\u2014": "-", // — em dash
  "\u2015": "-", // ― horizontal bar
  "\u2212": "-", // − minus sign
  "\u00AD": "", // soft hyphen (invisible)
  // Dots
  "\u2026": "...", // … horizontal ellipsis
  "\u2024": ".", // ․ one dot leader
  "\u2022": "*", // • bullet
  "\u00B7": ".", // · middle dot
  // Spaces
  "\u00A0": " ", // no-break space
  "\u2000": " ",
  "\u2001": " ",
  "\u2002": " ", // en space
  "\u2003": " ", // em space
  "\u2004": " ",
  "\u2005": " ",
  "\u2006": " ",
  "\u2007": " ", // figure space
  "\u2008": " ",
  "\u2009": " ", // thin space
  "\u200A": " ", // hair space
  "\u202F": " ", // narrow no-break space (French punctuation)
  "\u205F": " ", // medium mathematical space
  "\u3000": " ", // ideographic space
  "\t": " ", // tab
  // Invisible characters
  "\u200B": "", // zero-width space
  "\u200C": "", // zero-width non-joiner
  "\u200D": "", // zero-width joiner
  "\u2060": "", // word joiner
  "\uFEFF": "", // byte order mark / zero-width no-break space
  // Line breaks
  "\u2028": "\n", // line separator
  "\u2029": "\n", // paragraph separator
  "\u0085": "\n", // next line
  // Other look-alikes
  "\u2044": "/", // ⁄ fraction slash
  "\u2215": "/", // ∕ division slash
  "\uFF0C": ",", // ， fullwidth comma
  "\u02C6": "^", // ˆ modifier circumflex
  "\u02DC": "~", // ˜ small tilde
};

/** One character that is not in GSM-7, where it is, and what would replace it (null: nothing reads the same). */
export type NonGsmCharacter = {
  character: string;
  /** "U+201C" */
  codePoint: string;
  /** 0-based index in code points (an emoji counts as one), so clients in any language can find it. */
  position: number;
  replacement: string | null;
};

/** The characters of `text` that GSM-7 lacks, in order, each with the look-alike that would replace it. */
export function nonGsmCharacters(text: string): NonGsmCharacter[] {
  const found: NonGsmCharacter[] = [];
  let position = 0;
  for (const character of text) {
    if (!isGsm7Char(character)) {
      const replacement = GSM7_LOOKALIKES[character];
      found.push({
        character,
        codePoint: `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`,
        position,
        replacement: replacement ?? null,
      });
    }
    position++;
  }
  return found;
}

/** `text` with every look-alike replaced; other characters (GSM-7 or not) stay as they are. */
export function rewriteLookalikes(text: string): string {
  let out = "";
  for (const character of text) out += GSM7_LOOKALIKES[character] ?? character;
  return out;
}
