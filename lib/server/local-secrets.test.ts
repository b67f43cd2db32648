import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureLocalSecrets } from "./local-secrets.mjs";

const VARS = ["AUTH_SECRET", "KEY_ENCRYPTION_KEY", "DATABASE_URL"] as const;
let saved: Record<string, string | undefined>;
let root: string;

const secretsFile = () => path.join(root, ".data", "local-secrets.json");
const readSecrets = () => JSON.parse(readFileSync(secretsFile(), "utf8")) as Record<string, string>;
const clearEnv = () => {
  for (const name of VARS) delete process.env[name];
};
/** A 32-byte value in standard base64. */
const expect32ByteBase64 = (value: string | undefined) => {
  expect(value).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  expect(Buffer.from(value!, "base64")).toHaveLength(32);
};

beforeEach(() => {
  saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));
  clearEnv();
  root = mkdtempSync(path.join(os.tmpdir(), "local-secrets-"));
});

afterEach(() => {
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  rmSync(root, { recursive: true, force: true });
});

describe("ensureLocalSecrets", () => {
  it("creates .data/local-secrets.json readable by the owner only and sets both secrets to 32 random bytes", () => {
    ensureLocalSecrets(root);
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
    expect32ByteBase64(process.env.AUTH_SECRET);
    expect32ByteBase64(process.env.KEY_ENCRYPTION_KEY);
    expect(process.env.AUTH_SECRET).not.toBe(process.env.KEY_ENCRYPTION_KEY);
    expect(readSecrets()).toEqual({
      AUTH_SECRET: process.env.AUTH_SECRET,
      KEY_ENCRYPTION_KEY: process.env.KEY_ENCRYPTION_KEY,
    });
  });

  it("creates .data/ owner-only (0700) and tightens an existing wider one", () => {
    ensureLocalSecrets(root);
    const dataDir = path.dirname(secretsFile());
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    chmodSync(dataDir, 0o755);
    clearEnv();
    ensureLocalSecrets(root);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it("reuses the stored values on the next start", () => {
    ensureLocalSecrets(root);
    const first = { auth: process.env.AUTH_SECRET, key: process.env.KEY_ENCRYPTION_KEY };
    const before = readFileSync(secretsFile(), "utf8");
    clearEnv();
    ensureLocalSecrets(root);
    expect(process.env.AUTH_SECRET).toBe(first.auth);
    expect(process.env.KEY_ENCRYPTION_KEY).toBe(first.key);
    expect(readFileSync(secretsFile(), "utf8")).toBe(before);
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
  });

  it("gives each directory its own secrets", () => {
    ensureLocalSecrets(root);
    const first = process.env.KEY_ENCRYPTION_KEY;
    const other = mkdtempSync(path.join(os.tmpdir(), "local-secrets-"));
    try {
      clearEnv();
      ensureLocalSecrets(other);
      expect(process.env.KEY_ENCRYPTION_KEY).not.toBe(first);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("tightens a stored file's mode to 0600 and keeps its values", () => {
    mkdirSync(path.dirname(secretsFile()), { recursive: true });
    writeFileSync(secretsFile(), JSON.stringify({ AUTH_SECRET: "stored-auth", KEY_ENCRYPTION_KEY: "stored-key" }));
    chmodSync(secretsFile(), 0o644);
    ensureLocalSecrets(root);
    expect(process.env.AUTH_SECRET).toBe("stored-auth");
    expect(process.env.KEY_ENCRYPTION_KEY).toBe("stored-key");
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
  });

  it("fills only what is missing: a set variable wins and is not written to the file", () => {
    process.env.AUTH_SECRET = "from-environment";
    ensureLocalSecrets(root);
    expect(process.env.AUTH_SECRET).toBe("from-environment");
    expect32ByteBase64(process.env.KEY_ENCRYPTION_KEY);
    expect(readSecrets()).toEqual({ KEY_ENCRYPTION_KEY: process.env.KEY_ENCRYPTION_KEY });
  });

  it("adds a missing secret to a file that has only the other one", () => {
    mkdirSync(path.dirname(secretsFile()), { recursive: true });
    writeFileSync(secretsFile(), JSON.stringify({ AUTH_SECRET: "stored-auth" }), { mode: 0o600 });
    ensureLocalSecrets(root);
    expect(process.env.AUTH_SECRET).toBe("stored-auth");
    expect32ByteBase64(process.env.KEY_ENCRYPTION_KEY);
    expect(readSecrets()).toEqual({ AUTH_SECRET: "stored-auth", KEY_ENCRYPTION_KEY: process.env.KEY_ENCRYPTION_KEY });
  });

  it("refuses to invent secrets when DATABASE_URL is set, naming every missing variable", () => {
    process.env.DATABASE_URL = "postgres://db.example/portal";
    expect(() => ensureLocalSecrets(root)).toThrow(/AUTH_SECRET and KEY_ENCRYPTION_KEY must be set when DATABASE_URL is set/);
    expect(process.env.AUTH_SECRET).toBeUndefined();
    expect(process.env.KEY_ENCRYPTION_KEY).toBeUndefined();
    expect(existsSync(path.join(root, ".data"))).toBe(false);
  });

  it("names only the variable that is missing when DATABASE_URL is set", () => {
    process.env.DATABASE_URL = "postgres://db.example/portal";
    process.env.AUTH_SECRET = "shared-auth";
    expect(() => ensureLocalSecrets(root)).toThrow(/^KEY_ENCRYPTION_KEY must be set when DATABASE_URL is set/);
    expect(existsSync(path.join(root, ".data"))).toBe(false);
  });

  it("treats an empty variable as missing", () => {
    process.env.AUTH_SECRET = "";
    process.env.KEY_ENCRYPTION_KEY = "set";
    ensureLocalSecrets(root);
    expect32ByteBase64(process.env.AUTH_SECRET);
    expect(process.env.KEY_ENCRYPTION_KEY).toBe("set");
  });

  it.each([false, true])("writes nothing when both secrets are already set (DATABASE_URL set: %s)", (withDatabase) => {
    process.env.AUTH_SECRET = "a";
    process.env.KEY_ENCRYPTION_KEY = "k";
    if (withDatabase) process.env.DATABASE_URL = "postgres://db.example/portal";
    ensureLocalSecrets(root);
    expect(process.env.AUTH_SECRET).toBe("a");
    expect(process.env.KEY_ENCRYPTION_KEY).toBe("k");
    expect(existsSync(path.join(root, ".data"))).toBe(false);
  });
});
