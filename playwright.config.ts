import { randomBytes } from "node:crypto";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// The E2E suite runs the built portal on the embedded default database (PGlite),
// in a fresh data folder each run, in Debian's Chromium (never a downloaded one).
const PORT = Number(process.env.E2E_PORT ?? 3200);
const baseURL = `http://127.0.0.1:${PORT}`;
const dataDir = path.resolve(".data", "e2e-pglite");

// The multi-instance suite: two portal instances on one Postgres (a fresh database
// made by scripts/test.mjs), sharing secrets and, when set, Redis.
const pgUrl = process.env.E2E_DATABASE_URL;
const INSTANCE_A = `http://127.0.0.1:${PORT + 1}`; // e2e/helpers.ts derives the same URLs
const shared = {
  AUTH_SECRET: process.env.E2E_AUTH_SECRET ?? randomBytes(32).toString("base64"),
  KEY_ENCRYPTION_KEY: process.env.E2E_KEY_ENCRYPTION_KEY ?? randomBytes(32).toString("base64"),
};
const pgInstance = (port: number) => ({
  command: "node server.mjs",
  url: `http://127.0.0.1:${port}/api/health`,
  timeout: 120_000,
  reuseExistingServer: false,
  stdout: "pipe" as const,
  env: {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: pgUrl!,
    REDIS_URL: process.env.REDIS_URL ?? "",
    // Fast sandbox reports and webhooks to a receiver on this machine, for the end-to-end send test.
    SANDBOX_DLR_DELAY_MS: "500",
    WEBHOOKS_ALLOW_PRIVATE: "true",
    ...shared,
    NEXT_TELEMETRY_DISABLED: "1",
  },
});

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-results.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "ui", testMatch: /\.spec\.ts/, dependencies: ["setup"], use: { ...devices["Desktop Chrome"], channel: undefined } },
    ...(pgUrl
      ? [
          { name: "api-setup", testMatch: /api\.setup\.ts/, use: { baseURL: INSTANCE_A } },
          { name: "api", testMatch: /\.api\.ts/, dependencies: ["api-setup"], use: { baseURL: INSTANCE_A } },
        ]
      : []),
  ],
  webServer: [
    {
      command: `node scripts/e2e-server.mjs`,
      url: `${baseURL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        PORT: String(PORT),
        HOST: "127.0.0.1",
        PGLITE_DATA_DIR: dataDir,
        // The embedded default, whatever the developer's shell has.
        DATABASE_URL: "",
        REDIS_URL: "",
        // The webhooks page's "Send test" posts to a receiver the test starts on this machine.
        WEBHOOKS_ALLOW_PRIVATE: "true",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
    ...(pgUrl ? [pgInstance(PORT + 1), pgInstance(PORT + 2)] : []),
  ],
});
