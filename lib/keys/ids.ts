import { randomBytes } from "node:crypto";

// Public key ids: "key_" + 16 bytes in base64url. Not secret; safe to show and log.
export function newKeyId(): string {
  return "key_" + randomBytes(12).toString("base64url");
}
