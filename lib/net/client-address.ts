/**
 * The header our own HTTP server (server.mjs) sets to the client's address. It
 * deletes any copy a client sent, so nothing but the server can set it.
 */
export const CLIENT_ADDRESS_HEADER = "x-portal-client-address";

/** The client address decided by server.mjs, or null when the app runs without it. */
export function clientAddress(headers: Headers): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER);
}
