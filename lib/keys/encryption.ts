/**
 * Encryption at rest for secrets the server must read again (webhook signing
 * secrets). API keys are hashed instead and never stored readable.
 *
 * AES-256-GCM, key from KEY_ENCRYPTION_KEY (base64 of 32 bytes), a fresh random
 * 12-byte IV per call. Stored form: `v1.<iv>.<tag>.<ciphertext>`, each base64url.
 * The version tag leaves room for key rotation or a new algorithm later.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

// Strict base64url: only the canonical encoding of some bytes, so that no two
// stored strings decrypt to the same thing (Buffer.from ignores stray bits).
function decodeBase64url(text: string): Buffer | null {
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

let cached: { raw: string; key: Buffer } | undefined;

// Read on each call (cached per value) so a changed environment takes effect
// and a missing variable fails where it is used, not at import time.
function encryptionKey(): Buffer {
  const raw = process.env.KEY_ENCRYPTION_KEY;
  if (!raw) throw new Error("KEY_ENCRYPTION_KEY is not set (expected base64 of 32 random bytes)");
  if (cached?.raw === raw) return cached.key;
  // Buffer.from silently skips invalid characters, so check the shape first.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw.trim())) {
    throw new Error("KEY_ENCRYPTION_KEY is not valid base64 (expected base64 of 32 random bytes)");
  }
  const key = Buffer.from(raw.trim(), "base64");
  if (key.length !== 32) {
    throw new Error(`KEY_ENCRYPTION_KEY must decode to 32 bytes, got ${key.length} (generate with: openssl rand -base64 32)`);
  }
  cached = { raw, key };
  return key;
}

/**
 * Encrypts `plaintext`. Pass the row's id as `context` to bind the ciphertext to
 * that row: GCM authenticates it as additional data, so a value copied to
 * another row fails to decrypt there.
 */
export function encryptSecret(plaintext: string, context?: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, encryptionKey(), iv, { authTagLength: TAG_BYTES });
  if (context !== undefined) cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/**
 * Decrypts a value from `encryptSecret`. Throws on a malformed value, tampering,
 * a wrong key or a wrong `context`; the error never contains the secret.
 */
export function decryptSecret(stored: string, context?: string): string {
  const parts = typeof stored === "string" ? stored.split(".") : [];
  const [iv, tag, ciphertext] = parts.length === 4 && parts[0] === VERSION ? parts.slice(1).map(decodeBase64url) : [];
  if (!iv || !tag || !ciphertext) {
    throw new Error("Encrypted secret is malformed (expected v1.<iv>.<tag>.<ciphertext>)");
  }
  // GCM would accept shorter tags, which are easier to forge; insist on 16 bytes.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new Error("Encrypted secret is malformed (bad IV or tag length)");
  }
  const decipher = createDecipheriv(ALGORITHM, encryptionKey(), iv, { authTagLength: TAG_BYTES });
  if (context !== undefined) decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("Encrypted secret failed authentication (tampered, wrong key, or wrong context)");
  }
}
