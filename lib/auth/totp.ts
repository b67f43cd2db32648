import { createHash, randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";

/**
 * TOTP (RFC 6238) as every authenticator app reads it: SHA-1, 6 digits, 30 s
 * steps, a 160-bit secret. A code is accepted for the step before and after the
 * current one (clock drift); the caller remembers the last step it accepted so
 * a code is never accepted twice.
 */
export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = "Acme Messaging";

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(secret: string, label = "") {
  return new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS });
}

/** The otpauth:// URI an authenticator app scans (the QR code's content). */
export function totpUri(secret: string, email: string): string {
  return totpOf(secret, email).toString();
}

/** The time step of `timestamp` (ms). */
export function totpStepAt(timestamp: number): number {
  return Math.floor(timestamp / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for `timestamp` (tests and the E2E suite compute codes the same way an app does). */
export function totpCodeAt(secret: string, timestamp: number): string {
  return totpOf(secret).generate({ timestamp });
}

/**
 * The time step `code` belongs to, if it is a valid code within one step of now
 * and later than `lastUsedStep`; else null.
 */
export function matchTotp(secret: string, code: string, lastUsedStep: number | null, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = totpStepAt(now) + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? null : step;
}

/** A recovery code: 10 characters of 31 (~50 bits; no 0/o, 1/l/i), shown as xxxxx-xxxxx. */
export function generateRecoveryCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

/** What a person typed, as the code it may be: lower case, no spaces or dashes. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, "");
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(normalizeRecoveryCode(code)).digest("base64url");
}
