// The header this server sets to the client's address for the app
// (lib/net/client-address.ts reads it). It deletes any copy a client sent, so
// nothing but the server can set it.
export const CLIENT_ADDRESS_HEADER = "x-portal-client-address";

// Decides the client address of a request: the socket's, unless TRUST_PROXY_HOPS
// says that many proxies of ours sit in front and append to X-Forwarded-For.
// Entries a client wrote into X-Forwarded-For are left of the ones our proxies
// added, so they are never picked.
export function decideClientAddress(socketAddress, forwardedFor, trustedHops) {
  if (!trustedHops) return socketAddress ?? null;
  const chain = String(forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  chain.push(socketAddress ?? "");
  const index = chain.length - 1 - trustedHops;
  return index >= 0 ? chain[index] || null : chain[0] || null;
}
