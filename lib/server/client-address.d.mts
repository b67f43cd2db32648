/**
 * Types for client-address.mjs (plain ESM run by server.mjs), so TypeScript tests can import it.
 * `forwardedFor` is the raw X-Forwarded-For header value as Node gives it.
 */
export function decideClientAddress(
  socketAddress: string | null | undefined,
  forwardedFor: string | readonly string[] | null | undefined,
  trustedHops: number,
): string | null;

/** The header server.mjs sets to the client's address (any copy a client sent is deleted). */
export const CLIENT_ADDRESS_HEADER: "x-portal-client-address";
