import { createHmac, timingSafeEqual } from "node:crypto";
import { isAddressAllowed } from "@/lib/net/cidr";
import { parseKey } from "@/lib/keys/format";
import type { KeyStore, VerifiedKey } from "@/lib/keys/verify";
import { ApiError } from "../errors";
import type { ReplayStore } from "../replay-store";

export const API_KEY_HEADER = "x-api-key";
export const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * Step 1–3: the header, its format and checksum (no I/O), then the key by hash
 * through the cache: a cached key comes back at once, not as a promise (one
 * await less on every warm request); a refusal is thrown either way.
 */
export function findKey(headers: Headers, keys: KeyStore): VerifiedKey | Promise<VerifiedKey> {
  const presented = headers.get(API_KEY_HEADER)?.trim();
  if (!presented) throw new ApiError("UNAUTHORIZED");
  // Malformed, bad checksum and unknown share one answer.
  if (!parseKey(presented).ok) throw new ApiError("INVALID_API_KEY");
  const found = keys.find(presented);
  return found instanceof Promise ? found.then(knownKey) : knownKey(found);
}

function knownKey(key: VerifiedKey | null): VerifiedKey {
  if (!key) throw new ApiError("INVALID_API_KEY");
  return key;
}

/** Step 4: revoked, disabled or of an archived workspace → inactive; past expiry → expired; an old secret past its grace → unknown. */
export function checkStatus(key: VerifiedKey, now: number): void {
  if (key.graceEndsAt !== null && key.graceEndsAt <= now) throw new ApiError("INVALID_API_KEY");
  // An archived workspace's keys answer as revoked ones do (docs/api-v1.md §2).
  if (key.revokedAt !== null || !key.enabled || key.workspaceArchived) throw new ApiError("API_KEY_INACTIVE");
  if (key.expiresAt !== null && key.expiresAt <= now) throw new ApiError("API_KEY_EXPIRED");
}

/** Step 5: the client address (decided by server.mjs, never by a client header) within the key's CIDRs. */
export function checkAddress(key: VerifiedKey, address: string | null): void {
  if (key.allowedCidrs.length === 0) return;
  if (!address || !isAddressAllowed(address, key.allowedCidrs)) {
    throw new ApiError("IP_NOT_ALLOWED", `Requests from ${address ?? "an unknown address"} are not allowed for this API key`);
  }
}

export function signatureOf(secret: string, method: string, path: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${method.toUpperCase()}|${path}|${timestamp}|${body}`).digest("hex");
}

/**
 * Step 6, for keys that require it: X-Timestamp within 300 s of server time,
 * X-Signature = hex HMAC-SHA256(signing secret, "METHOD|path|timestamp|body")
 * compared in constant time, and each signature accepted once (replays refused
 * across instances through the replay store).
 */
export async function checkSignature(
  key: VerifiedKey,
  request: { method: string; path: string; headers: Headers; body: string },
  replays: ReplayStore,
  now: number,
): Promise<void> {
  if (!key.hmac) return;
  const timestamp = request.headers.get("x-timestamp")?.trim();
  const signature = request.headers.get("x-signature")?.trim().toLowerCase();
  if (!timestamp || !signature) throw new ApiError("SIGNATURE_REQUIRED");
  if (!/^\d{1,12}$/.test(timestamp)) throw new ApiError("INVALID_SIGNATURE", "X-Timestamp must be Unix seconds");
  // Whole seconds on both sides: the header is whole seconds.
  if (Math.abs(Math.floor(now / 1000) - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw new ApiError("INVALID_SIGNATURE", `X-Timestamp is more than ${MAX_CLOCK_SKEW_SECONDS} s from server time`);
  }
  if (!/^[0-9a-f]{64}$/.test(signature) || !key.signingSecret) {
    throw new ApiError("INVALID_SIGNATURE", "The signature does not match the request");
  }
  const expected = Buffer.from(signatureOf(key.signingSecret, request.method, request.path, timestamp, request.body), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    throw new ApiError("INVALID_SIGNATURE", "The signature does not match the request");
  }
  if (!(await replays.firstUse(key.id, signature))) {
    throw new ApiError("INVALID_SIGNATURE", "This signature was already used (replay)");
  }
}
