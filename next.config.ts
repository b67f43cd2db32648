import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  // rate-limiter-flexible imports drizzle-orm by a computed name, which a bundle cannot resolve:
  // both load from node_modules so there is one drizzle-orm in the process.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "rate-limiter-flexible", "drizzle-orm", "pino", "ioredis"],
  // Stops `next dev` from writing an AGENTS.md into the repository.
  agentRules: false,
  poweredByHeader: false,
};

export default nextConfig;
