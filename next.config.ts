import type { NextConfig } from "next";

const dev = process.env.NODE_ENV === "development";

/**
 * The Content-Security-Policy of every response (pages, the API, errors).
 *
 * Static, with script-src 'self' 'unsafe-inline': Next's App Router writes its
 * bootstrap and RSC payload as inline <script>s, and a nonce-based policy would
 * need a fresh nonce per request (the proxy) and every page rendered
 * dynamically, while the proxy does not even see the API or static files. What
 * this policy still guarantees: scripts, styles, fonts and requests only from
 * this origin (no third-party script, no exfiltration by fetch), no plugins,
 * no <base> hijack, forms post only here, and no framing (clickjacking).
 * Inline script is the remaining gap; React escapes what it renders and the
 * portal renders no raw HTML. No 'unsafe-eval' in production: nothing needs it
 * (Swagger UI's one `new Function` is a fallback for engines without
 * globalThis, never reached; zod's probe for it is turned off in
 * instrumentation-client.ts); `next dev` needs it (React's dev tooling), so it
 * is added there only.
 *
 * style-src 'unsafe-inline': React and Swagger UI set style attributes.
 * img-src/font-src data:: Swagger UI's icons are data: URIs in its stylesheet.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Headers for every response, applied by the Next server before routing (so
 * also to 404s and API errors). Strict-Transport-Security is not here: whether
 * a request came over https is known only at run time, so server.mjs sets it
 * (lib/server/security-headers.mjs).
 */
const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
  // For browsers that predate frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  // rate-limiter-flexible imports drizzle-orm by a computed name, which a bundle cannot resolve:
  // both load from node_modules so there is one drizzle-orm in the process.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "rate-limiter-flexible", "drizzle-orm", "pino", "ioredis"],
  // Stops `next dev` from writing an AGENTS.md into the repository.
  agentRules: false,
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
