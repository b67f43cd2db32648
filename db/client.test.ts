/**
 * The embedded database's folder is readable by its owner only: the files hold
 * every row (users, key hashes, messages) in plain form.
 */
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client";

let root: string;
beforeAll(() => void (root = mkdtempSync(path.join(os.tmpdir(), "pglite-folder-"))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (dir: string) => statSync(dir).mode & 0o777;

describe("the embedded database's folder", () => {
  it("is created owner-only (0700), with .data/, and an existing wider folder is tightened on open", async () => {
    const dataDir = path.join(root, ".data", "pglite");
    const first = await openDatabase({ dataDir });
    await first.close();
    expect(modeOf(path.join(root, ".data"))).toBe(0o700);
    expect(modeOf(dataDir)).toBe(0o700);

    // A folder made before this rule (or by hand) with the usual 0755.
    chmodSync(dataDir, 0o755);
    const reopened = await openDatabase({ dataDir });
    await reopened.close();
    expect(modeOf(dataDir)).toBe(0o700);
    // Two PGlite opens, each running every migration in WASM: minutes on a busy 2-core machine, not a speed check.
  }, 300_000);
});
