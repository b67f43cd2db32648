import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pino"],
  // Stops `next dev` from writing an AGENTS.md into the repository.
  agentRules: false,
  poweredByHeader: false,
};

export default nextConfig;
