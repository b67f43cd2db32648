import { CLIENT_ADDRESS_HEADER } from "@/lib/server/client-address.mjs";

export { CLIENT_ADDRESS_HEADER };

/** The client address decided by server.mjs, or null when the app runs without it. */
export function clientAddress(headers: Headers): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER);
}
