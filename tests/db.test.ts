import { describe, expect, it } from "vitest";
import { assertLocalDatabase } from "./db";

describe("assertLocalDatabase", () => {
  it.each([
    "postgres://postgres@127.0.0.1:5432/postgres",
    "postgres://postgres@localhost/postgres",
    "postgresql://u:p@[::1]:5432/db",
    "postgres://postgres@localhost/postgres?host=/var/run/postgresql",
  ])("allows the local server %s", (url) => {
    expect(() => assertLocalDatabase(url)).not.toThrow();
  });

  it.each([
    "postgres://postgres@db.example.com:5432/postgres",
    "postgres://postgres@10.0.0.5/postgres",
    "postgres://postgres@localhost.example.com/postgres",
    "postgres://postgres@127.0.0.1/postgres?host=prod.example.com",
    "not a url",
  ])("refuses to run against %s", (url) => {
    expect(() => assertLocalDatabase(url)).toThrow(/Refusing to run tests/);
  });
});
