// Secrets for the embedded default, so `npm start` works with nothing configured.
// Kept in .data/local-secrets.json (mode 0600), apart from the database folder, so
// a copy of the database alone never carries the key that decrypts its secrets.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const REQUIRED = {
  AUTH_SECRET: () => randomBytes(32).toString("base64"),
  KEY_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
};

export function ensureLocalSecrets(root = process.cwd()) {
  const missing = Object.keys(REQUIRED).filter((name) => !process.env[name]);
  if (missing.length === 0) return;
  if (process.env.DATABASE_URL) {
    // Several instances on one Postgres must share these; a per-machine file would split them.
    throw new Error(`${missing.join(" and ")} must be set when DATABASE_URL is set (see README, Configuration).`);
  }
  const file = path.join(root, ".data", "local-secrets.json");
  // .data/ holds the secrets and the embedded database: owner only, tightened if it was made wider.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  chmodSync(path.dirname(file), 0o700);
  // Tighten an existing file before anything new is written into it.
  if (existsSync(file)) chmodSync(file, 0o600);
  const stored = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  let changed = false;
  for (const name of missing) {
    if (!stored[name]) {
      stored[name] = REQUIRED[name]();
      changed = true;
    }
    process.env[name] = stored[name];
  }
  if (changed) writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
}
