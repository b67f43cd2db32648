// Starts the built portal for the E2E suite on a fresh embedded database.
import { rmSync } from "node:fs";
import path from "node:path";

const dir = process.env.PGLITE_DATA_DIR;
if (!dir || !path.resolve(dir).includes(`${path.sep}.data${path.sep}`)) {
  throw new Error(`refusing to wipe ${dir}: the E2E data folder must be under .data/`);
}
rmSync(dir, { recursive: true, force: true });
await import("../server.mjs");
