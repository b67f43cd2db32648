import { randomBytes } from "node:crypto";

// Nanoseconds since the epoch: milliseconds from the clock, finer digits from the monotonic timer.
const origin = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** `api_{workspaceId}_{unix nanoseconds}_{16 hex}`; the random part makes it unique. */
export function newMessageId(workspaceId: number): string {
  const ns = origin + process.hrtime.bigint();
  return `api_${workspaceId}_${ns}_${randomBytes(8).toString("hex")}`;
}
