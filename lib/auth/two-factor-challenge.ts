import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The "pending two-factor" state between a right password and a right code: a
 * short-lived token signed with AUTH_SECRET that names the person. It is not a
 * session and opens nothing by itself; with it, authorize() accepts a code (or a
 * recovery code) for that person only, under the code limits.
 */
export const CHALLENGE_TTL_SECONDS = 5 * 60;

function macKey(): Buffer {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set");
  // A key of its own, derived from AUTH_SECRET: a challenge can never pass for anything next-auth signs.
  return createHmac("sha256", secret).update("two-factor-challenge/v1").digest();
}

const mac = (payload: string) => createHmac("sha256", macKey()).update(payload).digest("base64url");

export function issueTwoFactorChallenge(userId: number, now = Date.now()): string {
  const payload = `${userId}.${Math.floor(now / 1000) + CHALLENGE_TTL_SECONDS}.${randomBytes(12).toString("base64url")}`;
  return `${payload}.${mac(payload)}`;
}

/** The user id a challenge names, or null when it is forged, malformed or expired. */
export function verifyTwoFactorChallenge(token: unknown, now = Date.now()): number | null {
  if (typeof token !== "string" || token.length > 200) return null;
  const parts = token.split(".");
  if (parts.length !== 4) return null;
  const payload = parts.slice(0, 3).join(".");
  const given = Buffer.from(parts[3]);
  const expected = Buffer.from(mac(payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const userId = Number(parts[0]);
  const expires = Number(parts[1]);
  if (!Number.isSafeInteger(userId) || userId <= 0 || !Number.isSafeInteger(expires)) return null;
  return expires * 1000 > now ? userId : null;
}
