// `npm start`: build when the sources changed since the last build, then serve.
// `npm run dev`: serve in development mode (no build). `npm run serve`: serve the build as it is.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { serverNodeArgs } from "./server-node-args.mjs";

const dev = process.argv.includes("--dev");
// `npm run serve`: the build as it is.
const noBuild = process.argv.includes("--no-build");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const SOURCES = [
  "app",
  "components",
  "lib",
  "db",
  "public",
  "auth.ts",
  "auth.config.ts",
  "proxy.ts",
  "instrumentation-client.ts",
  "next.config.ts",
  "package.json",
  "package-lock.json",
];

function newest(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

if (!dev && !noBuild) {
  const built = existsSync(".next/BUILD_ID") ? statSync(".next/BUILD_ID").mtimeMs : 0;
  if (Math.max(...SOURCES.map(newest)) > built) {
    console.log("Building the portal (next build)…");
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
}

let nodeArgs;
try {
  nodeArgs = serverNodeArgs(env);
} catch (error) {
  console.error(`Cannot start: ${error.message}`);
  process.exit(1);
}
const server = spawnSync(process.execPath, [...(dev ? [] : nodeArgs), "server.mjs", ...(dev ? ["--dev"] : [])], { stdio: "inherit", env });
process.exit(server.status ?? 0);
