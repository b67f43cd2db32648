// Strict-Transport-Security for server.mjs: set only when the portal is served over https,
// which is known at run time, not when next.config.ts's headers are built.

/** One year, this host and its subdomains (no preload: that is a decision for the domain's owner). */
export const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Whether a request reached the portal over https:
 * - `AUTH_URL` starts with `https:`: the deployment says its public URL is https,
 *   so every response carries HSTS (a browser ignores it on a plain-http answer);
 * - else, with proxies of ours in front (`TRUST_PROXY_HOPS` ≥ 1), the
 *   `X-Forwarded-Proto` of the nearest one (its last entry) is `https`.
 * server.mjs itself speaks plain http (TLS ends before it). Without a trusted
 * proxy a client's `X-Forwarded-Proto` is ignored, as its `X-Forwarded-For` is.
 */
export function servedOverHttps({ authUrl, trustedHops, forwardedProto }) {
  if (typeof authUrl === "string" && authUrl.trim().toLowerCase().startsWith("https:")) return true;
  if (trustedHops > 0 && forwardedProto) {
    const value = Array.isArray(forwardedProto) ? forwardedProto.join(",") : forwardedProto;
    const nearest = value.split(",").at(-1)?.trim().toLowerCase();
    return nearest === "https";
  }
  return false;
}
