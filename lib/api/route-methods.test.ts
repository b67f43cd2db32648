import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "@/lib/server/unrouted-api.mjs";
import { routeMethods, routeMethodsJson } from "./route-methods";
import { OPERATIONS } from "./v1";

describe("the route table server.mjs reads (lib/server/api-routes.json)", () => {
  it("is the one the operations generate (else run: node_modules/.bin/tsx scripts/generate-api-routes.ts)", () => {
    expect(readFileSync("lib/server/api-routes.json", "utf8")).toBe(routeMethodsJson());
    expect(API_ROUTES).toEqual(routeMethods());
  });

  it("lists every operation's method under its path, and the OpenAPI document", () => {
    for (const op of OPERATIONS) expect(API_ROUTES[op.path], `${op.method} ${op.path}`).toContain(op.method);
    expect(API_ROUTES["/openapi.json"]).toEqual(["GET"]);
  });
});
