import next from "eslint-config-next";
import nextTs from "eslint-config-next/typescript";

// The layers, top to bottom (README, "Architecture"). A file may import from its
// own layer and the layers below it, never from one above.
const ENTRY = [
  "./app",
  "./auth.ts",
  "./auth.config.ts",
  "./proxy.ts",
  "./instrumentation.ts",
  "./instrumentation-client.ts",
  "./server.mjs",
  "./scripts",
  "./bench",
  "./e2e",
  "./tests",
];
const UI = ["./components"];
/** What binds a request to the domains: the HTTP API (guard, operations) and the portal (session, action chain, server actions). */
const ADAPTERS = ["./lib/api", "./lib/portal"];
/** The process's wiring: start-up, the job queue's workers. */
const RUNTIME = ["./lib/runtime"];
const DOMAINS = [
  "./lib/keys",
  "./lib/sms",
  "./lib/webhooks",
  "./lib/workspaces",
  "./lib/account",
  "./lib/audit",
  "./lib/auth",
  "./lib/billing",
  "./lib/team",
];
/** Leaves: no domain knowledge; anything may use them. */
const LEAVES = [
  "./lib/permissions",
  "./lib/net",
  "./lib/format",
  "./lib/errors",
  "./lib/context",
  "./lib/queue",
  "./lib/server",
  "./lib/log.ts",
];
/** The database layer; the seed (db/seed.ts) is a script on top of the domains, not part of it. */
const DB = ["./db/!(seed).ts", "./db/schema/**", "./db/seed-data/**"];

const layer = (name, target, from, extra = {}) => ({
  target,
  from,
  message: `${name} (see README, "Architecture": imports run one way, app → components → lib adapters → runtime → domains → leaves → db).`,
  ...extra,
});

const LAYER_ZONES = [
  layer("db/ imports no lib/ module but the permission catalog (pure data its check constraints derive from)", DB, "./lib", {
    except: ["./permissions/catalog.ts"],
  }),
  layer("db/ imports nothing above it, the seed included", DB, [...UI, ...ENTRY, "./db/seed.ts"]),
  layer("A leaf imports only other leaves and db/", LEAVES, [...DOMAINS, ...RUNTIME, ...ADAPTERS, ...UI, ...ENTRY, "./db/seed.ts"]),
  layer(
    "A domain never imports an adapter, the runtime, the UI or an entry point; it raises ServiceError and the adapter maps it",
    DOMAINS,
    [...RUNTIME, ...ADAPTERS, ...UI, ...ENTRY, "./db/seed.ts"],
  ),
  layer("The runtime imports no adapter, UI or entry point", RUNTIME, [...ADAPTERS, ...UI, ...ENTRY]),
  layer("The API layer and the portal layer are separate adapters", "./lib/api", ["./lib/portal", ...UI, ...ENTRY]),
  // The portal layer reads the session through next-auth's configuration (auth.ts): the one entry it may import.
  layer("The portal layer and the API layer are separate adapters", "./lib/portal", [
    "./lib/api",
    ...UI,
    ...ENTRY.filter((path) => path !== "./auth.ts"),
  ]),
  layer("Components import no page, route, runtime, API layer or database module", UI, [...ENTRY, "./lib/api", "./lib/runtime", "./db"]),
  layer("Pages read through a domain query function: no SQL (db/schema) in app/", "./app", "./db/schema"),
];

const config = [
  ...next,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "db/migrations/**",
      "bench/results/**",
    ],
  },
  {
    // Production code only: tests may reach across layers to set up what they check.
    files: ["**/*.{ts,tsx,mjs}"],
    ignores: ["**/*.test.ts"],
    // Cycles are looked for in our own modules only.
    settings: { "import/ignore": ["node_modules"] },
    rules: {
      "import/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: LAYER_ZONES }],
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    // "use server" files live in one place and only bind a request to the action definitions.
    files: ["**/*.{ts,tsx}"],
    ignores: ["lib/portal/server-actions/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "Program > ExpressionStatement[directive='use server']",
          message: '"use server" files live in lib/portal/server-actions/ (README, "Architecture").',
        },
      ],
    },
  },
  {
    // Request-bound Next.js and next-auth APIs belong to the adapters and pages, not to domains or leaves.
    files: ["lib/**/*.{ts,tsx}", "db/**/*.ts"],
    ignores: ["lib/api/**", "lib/portal/**", "**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["next/*", "next-auth", "next-auth/*", "@/auth"],
              message: 'Domains, leaves and db/ do not depend on the request (README, "Architecture").',
            },
          ],
        },
      ],
    },
  },
];

export default config;
