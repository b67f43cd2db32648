import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  KEY_PATTERN,
  KEY_PREFIXES,
  SIGNING_SECRET_PATTERN,
  SIGNING_SECRET_PREFIX,
  crc32,
  crc32Portable,
  displayKey,
  generateKey,
  generateSigningSecret,
  hashSecret,
  hashSecretWithVersion,
  parseKey,
  parseSigningSecret,
  type KeyMode,
} from "./format";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const modes: KeyMode[] = ["live", "test"];
const modeArb = fc.constantFrom<KeyMode>(...modes);

// Tests below toggle the pepper; make every test start from a known state.
let savedPepper: string | undefined;
beforeEach(() => {
  savedPepper = process.env.KEY_HASH_PEPPER;
  delete process.env.KEY_HASH_PEPPER;
});
afterEach(() => {
  if (savedPepper === undefined) delete process.env.KEY_HASH_PEPPER;
  else process.env.KEY_HASH_PEPPER = savedPepper;
});

describe("crc32", () => {
  it("matches the standard IEEE check value", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32Portable("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
  });

  it("portable fallback agrees with zlib on any string", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => crc32Portable(s) === crc32(s)));
  });
});

describe("generateKey", () => {
  it("every generated key parses with the mode it was generated for", () => {
    fc.assert(
      fc.property(modeArb, (mode) => {
        expect(parseKey(generateKey(mode).secret)).toEqual({ ok: true, mode });
      }),
    );
  });

  it("has exactly prefix + 38 base62 characters, with start as a prefix and last4 as a suffix", () => {
    fc.assert(
      fc.property(modeArb, (mode) => {
        const k = generateKey(mode);
        const prefix = KEY_PREFIXES[mode];
        expect(k.secret).toHaveLength(prefix.length + 38);
        expect(k.secret.slice(prefix.length)).toMatch(/^[0-9A-Za-z]{38}$/);
        expect(k.start).toHaveLength(prefix.length + 4);
        expect(k.secret.startsWith(k.start)).toBe(true);
        expect(k.last4).toHaveLength(4);
        expect(k.secret.endsWith(k.last4)).toBe(true);
      }),
    );
  });

  it("never repeats a key across 1,000 generations", () => {
    const secrets = new Set(Array.from({ length: 1000 }, (_, i) => generateKey(modes[i % 2]).secret));
    expect(secrets.size).toBe(1000);
  });

  it("draws every alphabet character in the random part (no truncated alphabet)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const c of generateKey("live").secret.slice(8, 40)) seen.add(c);
    expect(seen.size).toBe(62);
  });
});

describe("parseKey refusals", () => {
  it("refuses any single-character change of a valid key", () => {
    fc.assert(
      fc.property(
        modeArb,
        fc.nat(),
        fc.oneof(fc.constantFrom(...ALPHABET), fc.string({ minLength: 1, maxLength: 1, unit: "binary" })),
        (mode, pos, replacement) => {
          const { secret } = generateKey(mode);
          const i = pos % secret.length;
          fc.pre(secret[i] !== replacement);
          const changed = secret.slice(0, i) + replacement + secret.slice(i + 1);
          expect(parseKey(changed).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses every substitution at every position with every other alphabet character", () => {
    // Exhaustive for one key: CRC32 detects all single-symbol errors, so this must hold without exception.
    const { secret } = generateKey("test");
    const body = KEY_PREFIXES.test.length;
    for (let i = body; i < secret.length; i++) {
      for (const c of ALPHABET) {
        if (c === secret[i]) continue;
        const changed = secret.slice(0, i) + c + secret.slice(i + 1);
        expect(parseKey(changed)).toEqual({ ok: false, reason: "checksum" });
      }
    }
  });

  it("refuses any truncation as the wrong length", () => {
    fc.assert(
      fc.property(modeArb, fc.nat(), (mode, n) => {
        const { secret } = generateKey(mode);
        const cut = KEY_PREFIXES[mode].length + (n % 38);
        expect(parseKey(secret.slice(0, cut))).toEqual({ ok: false, reason: "length" });
      }),
    );
  });

  it("refuses a valid key with extra characters appended", () => {
    expect(parseKey(generateKey("live").secret + "A")).toEqual({ ok: false, reason: "length" });
  });

  it("refuses a wrong prefix, including swapping live and test", () => {
    const { secret } = generateKey("live");
    const body = secret.slice(KEY_PREFIXES.live.length);
    for (const prefix of ["sk_live_", "SK_PROD_", "pk_prod_", "sk_prod", "", SIGNING_SECRET_PREFIX]) {
      expect(parseKey(prefix + body)).toEqual({ ok: false, reason: "prefix" });
    }
    // The checksum covers the prefix, so relabelling a live key as test is caught.
    expect(parseKey(KEY_PREFIXES.test + body)).toEqual({ ok: false, reason: "checksum" });
  });

  it("refuses non-base62 characters of the right length as an alphabet error", () => {
    const { secret } = generateKey("test");
    expect(parseKey(secret.slice(0, -1) + "-")).toEqual({ ok: false, reason: "alphabet" });
    expect(parseKey(secret.slice(0, -1) + "é")).toEqual({ ok: false, reason: "alphabet" });
  });

  it("never throws on arbitrary input, including empty, huge and unicode strings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" })), (s) => {
        const prefixed = KEY_PREFIXES.live + s;
        expect(parseKey(s).ok).toBe(false);
        expect(parseKey(prefixed).ok).toBe(false);
      }),
    );
    expect(parseKey("")).toEqual({ ok: false, reason: "prefix" });
    expect(parseKey(KEY_PREFIXES.live + "a".repeat(10_000_000))).toEqual({ ok: false, reason: "length" });
    expect(parseKey(undefined as unknown as string)).toEqual({ ok: false, reason: "prefix" });
  });
});

describe("hashing", () => {
  it("produces 64 lowercase hex characters that differ from the secret (version 1 without a pepper)", () => {
    const k = generateKey("live");
    expect(k.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(k.hash).not.toBe(k.secret);
    expect(k.hash).not.toContain(k.secret.slice(8));
    expect(k.hashVersion).toBe(1);
    expect(hashSecret(k.secret)).toEqual({ hash: k.hash, hashVersion: 1 });
    expect(hashSecretWithVersion(k.secret, 1)).toBe(k.hash);
  });

  it("switches to a different, version-2 HMAC hash when KEY_HASH_PEPPER is set", () => {
    const { secret, hash: plain } = generateKey("test");
    process.env.KEY_HASH_PEPPER = "pepper-one";
    const peppered = hashSecret(secret);
    expect(peppered.hashVersion).toBe(2);
    expect(peppered.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(peppered.hash).not.toBe(plain);
    expect(hashSecretWithVersion(secret, 2)).toBe(peppered.hash);
    // Version 1 stays computable so keys hashed before the pepper still look up.
    expect(hashSecretWithVersion(secret, 1)).toBe(plain);
    const generated = generateKey("live");
    expect(generated.hashVersion).toBe(2);
    expect(generated.hash).toBe(hashSecretWithVersion(generated.secret, 2));

    process.env.KEY_HASH_PEPPER = "pepper-two";
    expect(hashSecret(secret).hash).not.toBe(peppered.hash);
  });

  it("refuses to compute version 2 without a pepper, and unknown versions, with a clear error", () => {
    expect(() => hashSecretWithVersion("x", 2)).toThrow(/KEY_HASH_PEPPER/);
    process.env.KEY_HASH_PEPPER = "";
    expect(() => hashSecretWithVersion("x", 2)).toThrow(/KEY_HASH_PEPPER/);
    expect(hashSecret("x").hashVersion).toBe(1);
    expect(() => hashSecretWithVersion("x", 3)).toThrow(/version 3/);
  });
});

describe("display and scanning", () => {
  it("displays start and last4 around a real ellipsis, never the full secret", () => {
    const k = generateKey("live");
    const shown = displayKey(k);
    expect(shown).toBe(`${k.start}\u2026${k.last4}`);
    expect(shown).not.toContain(k.secret);
  });

  it("KEY_PATTERN finds a generated key inside surrounding text", () => {
    for (const mode of modes) {
      const { secret } = generateKey(mode);
      const text = `export API_KEY="${secret}" # do not commit\nAuthorization: Bearer ${secret}.`;
      expect(text.match(KEY_PATTERN)?.[0]).toBe(secret);
      expect(KEY_PATTERN.test(`key=${secret}`)).toBe(true);
    }
  });

  it("KEY_PATTERN does not match a key glued to other word characters or cut short", () => {
    const { secret } = generateKey("live");
    expect(KEY_PATTERN.test(`x${secret}`)).toBe(false);
    expect(KEY_PATTERN.test(`${secret}x`)).toBe(false);
    expect(KEY_PATTERN.test(secret.slice(0, -1))).toBe(false);
  });
});

describe("signing secrets", () => {
  it("every generated signing secret validates and matches its scanner pattern", () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const s = generateSigningSecret();
        expect(s.startsWith(SIGNING_SECRET_PREFIX)).toBe(true);
        expect(s).toHaveLength(SIGNING_SECRET_PREFIX.length + 38);
        expect(parseSigningSecret(s)).toBe(true);
        expect(SIGNING_SECRET_PATTERN.test(` ${s} `)).toBe(true);
      }),
    );
  });

  it("refuses any single-character change of a signing secret, and API keys", () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...ALPHABET, "_", "-", " "), (pos, replacement) => {
        const s = generateSigningSecret();
        const i = pos % s.length;
        fc.pre(s[i] !== replacement);
        expect(parseSigningSecret(s.slice(0, i) + replacement + s.slice(i + 1))).toBe(false);
      }),
    );
    expect(parseSigningSecret(generateKey("live").secret)).toBe(false);
    expect(parseKey(generateSigningSecret()).ok).toBe(false);
    expect(parseSigningSecret("")).toBe(false);
  });
});
