/**
 * The error table of docs/api-v1.md §2 is the contract clients read; lib/api/errors.ts
 * is what the API answers. Both list the same codes with the same HTTP status.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { API_ERRORS } from "./errors";

function documentedErrors(): Record<string, number> {
  const doc = readFileSync(path.join(import.meta.dirname, "../../docs/api-v1.md"), "utf8");
  const section = doc.slice(doc.indexOf("## 2. Errors"), doc.indexOf("## 3. SMS"));
  const rows = [...section.matchAll(/^\| (\d{3}) \| `([A-Z_]+)`/gm)];
  return Object.fromEntries(rows.map(([, status, code]) => [code, Number(status)]));
}

it("documents every error code of the API, with its HTTP status, in docs/api-v1.md §2", () => {
  const answered = Object.fromEntries(Object.entries(API_ERRORS).map(([code, { status }]) => [code, status]));
  expect(documentedErrors()).toEqual(answered);
});
