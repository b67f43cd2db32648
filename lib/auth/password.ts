import { hash, verify } from "@node-rs/argon2";

// Argon2id (memory-hard) with the library's defaults: 19 MiB, 2 passes — OWASP's minimum.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the email is unknown, so both paths cost one Argon2 verification.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash("not-a-real-password-" + Math.random());
  return dummyHash;
}
