/**
 * The API key as a value object: layout, generation, offline validation and hashing.
 *
 * Layout: prefix + 32 random base62 characters + 6-character checksum.
 * The checksum is CRC32(prefix + random part) in base62, left-padded with "0".
 * It is not a security feature: it lets us (and secret scanners) reject typos and
 * random strings without a database lookup, and makes false positives rare.
 *
 * Never log a secret; log `displayKey(...)` instead.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import * as zlib from "node:zlib";

export type KeyMode = "live" | "test";

export const KEY_PREFIXES = { live: "sk_prod_", test: "sk_test_" } as const;
export const SIGNING_SECRET_PREFIX = "sksig_";

/**
 * Published for secret scanners (GitHub push protection, gitleaks, trufflehog):
 * prefix + 38 base62 characters (32 random + 6 checksum). A hit can be confirmed
 * offline with `parseKey`. Not global on purpose: a /g regex keeps `lastIndex`
 * between `.test()` calls.
 */
export const KEY_PATTERN = /\bsk_(prod|test)_[0-9A-Za-z]{38}\b/;
/** Same as KEY_PATTERN, for webhook signing secrets; confirm with `parseSigningSecret`. */
export const SIGNING_SECRET_PATTERN = /\bsksig_[0-9A-Za-z]{38}\b/;

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 32; // 32 * log2(62) ≈ 190.5 bits
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32, so any CRC32 fits
const BODY_PATTERN = /^[0-9A-Za-z]*$/;
// The largest multiple of 62 that fits in a byte; bytes at or above it are
// discarded so that `byte % 62` is uniform (no modulo bias).
const REJECT_FROM = 256 - (256 % ALPHABET.length); // 248

/** Uniformly random base62 string from the CSPRNG, using rejection sampling. */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    // Ask for a little more than needed: about 3% of bytes are rejected.
    for (const byte of randomBytes(length - out.length + 8)) {
      if (byte >= REJECT_FROM) continue;
      out += ALPHABET[byte % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

let crcTable: Uint32Array | undefined;

/**
 * Portable CRC32 (IEEE 802.3, reflected polynomial 0xEDB88320) for Node versions
 * before 20.15, which lack `zlib.crc32`. Exported only so tests can pin it to
 * the same results as zlib.
 */
export function crc32Portable(input: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of Buffer.from(input, "utf8")) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// package.json allows Node >= 20.9; zlib.crc32 only arrived in 20.15.
const zlibCrc32 = (zlib as { crc32?: (data: string) => number }).crc32;

/** CRC32 of the UTF-8 bytes of `input` as an unsigned 32-bit integer. */
export function crc32(input: string): number {
  return typeof zlibCrc32 === "function" ? zlibCrc32(input) >>> 0 : crc32Portable(input);
}

function checksum(prefixAndRandom: string): string {
  let n = crc32(prefixAndRandom);
  let out = "";
  do {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(CHECKSUM_LENGTH, "0");
}

function mint(prefix: string): { secret: string; random: string } {
  const random = randomBase62(RANDOM_LENGTH);
  return { secret: prefix + random + checksum(prefix + random), random };
}

type LayoutFailure = "length" | "alphabet" | "checksum";

/** Checks everything after the prefix, which the caller has already matched. */
function checkBody(secret: string, prefix: string): LayoutFailure | null {
  // Length first: it is O(1) and keeps huge inputs away from the regex and CRC.
  if (secret.length !== prefix.length + RANDOM_LENGTH + CHECKSUM_LENGTH) return "length";
  const body = secret.slice(prefix.length);
  if (!BODY_PATTERN.test(body)) return "alphabet";
  const random = body.slice(0, RANDOM_LENGTH);
  if (body.slice(RANDOM_LENGTH) !== checksum(prefix + random)) return "checksum";
  return null;
}

export type ParsedKey = { ok: true; mode: KeyMode } | { ok: false; reason: "prefix" | "length" | "alphabet" | "checksum" };

/** Offline validation of a presented key (no I/O). Any string is safe to pass. */
export function parseKey(secret: string): ParsedKey {
  // Callers may hand us untyped input (headers, JSON); never throw on it.
  if (typeof secret !== "string") return { ok: false, reason: "prefix" };
  const mode = (Object.keys(KEY_PREFIXES) as KeyMode[]).find((m) => secret.startsWith(KEY_PREFIXES[m]));
  if (!mode) return { ok: false, reason: "prefix" };
  const failure = checkBody(secret, KEY_PREFIXES[mode]);
  return failure ? { ok: false, reason: failure } : { ok: true, mode };
}

/** Version 1: plain SHA-256. Version 2: HMAC-SHA256 keyed with KEY_HASH_PEPPER. */
export function hashSecretWithVersion(secret: string, version: number): string {
  if (version === 1) return createHash("sha256").update(secret, "utf8").digest("hex");
  if (version === 2) {
    const pepper = currentPepper();
    if (!pepper) throw new Error("KEY_HASH_PEPPER is not set, so hash version 2 cannot be computed");
    return createHmac("sha256", pepper).update(secret, "utf8").digest("hex");
  }
  throw new Error(`Unknown key hash version ${version}`);
}

// Read on every call so that rotating the environment (and tests) take effect
// without a restart; an empty value counts as unset.
function currentPepper(): string | undefined {
  return process.env.KEY_HASH_PEPPER || undefined;
}

/**
 * Hash to store and look keys up by. The secret has ~190 random bits, so a fast
 * hash is enough; the optional pepper additionally means a leaked database
 * alone cannot confirm a guessed or leaked key.
 */
export function hashSecret(secret: string): { hash: string; hashVersion: number } {
  const hashVersion = currentPepper() ? 2 : 1;
  return { hash: hashSecretWithVersion(secret, hashVersion), hashVersion };
}

export function generateKey(mode: KeyMode): { secret: string; hash: string; hashVersion: number; start: string; last4: string } {
  const prefix = KEY_PREFIXES[mode];
  const { secret, random } = mint(prefix);
  return {
    secret,
    ...hashSecret(secret),
    // Enough to recognise a key in the UI and logs, far too little to guess it.
    start: prefix + random.slice(0, 4),
    last4: secret.slice(-4),
  };
}

/** The only form of a key that may appear in the UI or in logs. */
export function displayKey(k: { start: string; last4: string }): string {
  return `${k.start}…${k.last4}`;
}

/** Webhook signing secret, same layout as a key under the `sksig_` prefix. */
export function generateSigningSecret(): string {
  return mint(SIGNING_SECRET_PREFIX).secret;
}

export function parseSigningSecret(s: string): boolean {
  return typeof s === "string" && s.startsWith(SIGNING_SECRET_PREFIX) && checkBody(s, SIGNING_SECRET_PREFIX) === null;
}
