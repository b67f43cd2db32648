import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./encryption";
import { generateSigningSecret } from "./format";

let savedKey: string | undefined;
beforeEach(() => {
  savedKey = process.env.KEY_ENCRYPTION_KEY;
  process.env.KEY_ENCRYPTION_KEY = randomBytes(32).toString("base64");
});
afterEach(() => {
  if (savedKey === undefined) delete process.env.KEY_ENCRYPTION_KEY;
  else process.env.KEY_ENCRYPTION_KEY = savedKey;
});

/** Applies `change` to one decoded part (1 = iv, 2 = tag, 3 = ciphertext) and re-encodes it. */
function tamper(stored: string, index: 1 | 2 | 3, change: (b: Buffer) => Buffer): string {
  const parts = stored.split(".");
  parts[index] = change(Buffer.from(parts[index], "base64url")).toString("base64url");
  return parts.join(".");
}
const flipBit = (bit: number) => (b: Buffer) => {
  const copy = Buffer.from(b);
  copy[Math.floor(bit / 8) % copy.length] ^= 1 << (bit % 8);
  return copy;
};

describe("encryptSecret / decryptSecret", () => {
  it("round-trips any string, with and without a context", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.option(fc.string(), { nil: undefined }), (plaintext, context) => {
        expect(decryptSecret(encryptSecret(plaintext, context), context)).toBe(plaintext);
      }),
    );
  });

  it("uses the v1.<iv>.<tag>.<ciphertext> base64url layout with a 12-byte IV and 16-byte tag", () => {
    const stored = encryptSecret("hello");
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/);
    const [, iv, tag, ct] = stored.split(".");
    expect(Buffer.from(iv, "base64url")).toHaveLength(12);
    expect(Buffer.from(tag, "base64url")).toHaveLength(16);
    expect(Buffer.from(ct, "base64url")).toHaveLength(5);
  });

  it("never reveals the plaintext in the stored form, and uses a fresh IV each time", () => {
    const secret = generateSigningSecret();
    const a = encryptSecret(secret, "key_1");
    const b = encryptSecret(secret, "key_1");
    for (const stored of [a, b]) {
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(6, 20));
      expect(stored).not.toContain(Buffer.from(secret).toString("base64url").slice(0, 16));
    }
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("refuses any single-bit change of the IV, tag or ciphertext", () => {
    const stored = encryptSecret(generateSigningSecret(), "key_1");
    fc.assert(
      fc.property(fc.constantFrom<1 | 2 | 3>(1, 2, 3), fc.nat(), (index, bit) => {
        expect(() => decryptSecret(tamper(stored, index, flipBit(bit)), "key_1")).toThrow(/failed authentication/);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses any single-character change of the stored string", () => {
    const stored = encryptSecret("whsec-value", "key_1");
    const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...chars), (pos, c) => {
        const i = pos % stored.length;
        fc.pre(stored[i] !== c);
        expect(() => decryptSecret(stored.slice(0, i) + c + stored.slice(i + 1), "key_1")).toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it("refuses truncated, extended or re-sized parts", () => {
    const stored = encryptSecret("value");
    expect(() => decryptSecret(tamper(stored, 3, (b) => b.subarray(0, b.length - 1)))).toThrow(/failed authentication/);
    expect(() => decryptSecret(tamper(stored, 3, (b) => Buffer.concat([b, Buffer.from([0])])))).toThrow(/failed authentication/);
    // A shortened tag must not be accepted as a weaker GCM tag.
    expect(() => decryptSecret(tamper(stored, 2, (b) => b.subarray(0, 12)))).toThrow(/malformed/);
    expect(() => decryptSecret(tamper(stored, 1, (b) => b.subarray(0, 8)))).toThrow(/malformed/);
  });

  it("refuses malformed stored values with a clear error", () => {
    for (const bad of [
      "",
      "v1",
      "v1...",
      "v2.a.b.c",
      encryptSecret("x").replace(/^v1/, "v2"),
      `${encryptSecret("x")}.extra`,
      "v1.!!!.a.b",
    ]) {
      expect(() => decryptSecret(bad)).toThrow(/malformed/);
    }
  });

  it("refuses a ciphertext moved to another context (row)", () => {
    const stored = encryptSecret("secret-for-key-1", "key_1");
    expect(() => decryptSecret(stored, "key_2")).toThrow(/failed authentication/);
    expect(() => decryptSecret(stored)).toThrow(/failed authentication/);
    expect(() => decryptSecret(encryptSecret("no-context"), "key_1")).toThrow(/failed authentication/);
  });

  it("refuses to decrypt under a different key", () => {
    const stored = encryptSecret("value", "key_1");
    process.env.KEY_ENCRYPTION_KEY = randomBytes(32).toString("base64");
    expect(() => decryptSecret(stored, "key_1")).toThrow(/failed authentication/);
  });

  it("never puts the plaintext into an error message", () => {
    const secret = generateSigningSecret();
    const stored = encryptSecret(secret, "key_1");
    try {
      decryptSecret(stored, "key_2");
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(secret);
    }
  });
});

describe("KEY_ENCRYPTION_KEY", () => {
  it("names the variable when it is missing", () => {
    delete process.env.KEY_ENCRYPTION_KEY;
    expect(() => encryptSecret("x")).toThrow(/KEY_ENCRYPTION_KEY/);
    expect(() => decryptSecret(`v1.${"A".repeat(16)}.${"A".repeat(21)}w.`)).toThrow(/KEY_ENCRYPTION_KEY/);
  });

  it("names the variable when it does not decode to exactly 32 bytes", () => {
    for (const bad of [randomBytes(16).toString("base64"), randomBytes(33).toString("base64"), "not base64 at all!", "hunter2"]) {
      process.env.KEY_ENCRYPTION_KEY = bad;
      expect(() => encryptSecret("x")).toThrow(/KEY_ENCRYPTION_KEY/);
    }
  });
});
