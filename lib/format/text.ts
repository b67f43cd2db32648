/**
 * Text Postgres can store. A NUL (U+0000) is refused by `text` ("invalid byte
 * sequence for encoding UTF8: 0x00") and by `jsonb` ("\u0000 cannot be
 * converted to text"); an unpaired UTF-16 surrogate has no UTF-8 form at all
 * (json refuses it, and elsewhere it would silently become U+FFFD). Both
 * arrive easily: `%00` in a URL, `"\u0000"` or `"\ud800"` in a JSON body.
 */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The reason for a refusal, for an error description. */
export const UNSTORABLE_TEXT_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";
