import { HTTP_METHODS, type HttpMethod } from "./operation";
import { OPERATIONS } from "./v1";

/**
 * Each /api/v1 path (OpenAPI template) → the methods it serves, in HTTP_METHODS
 * order, the public OpenAPI document included. server.mjs answers the methods
 * Next cannot route from this table, as lib/server/api-routes.json
 * (scripts/generate-api-routes.ts writes it; route-methods.test.ts checks it).
 */
export function routeMethods(): Record<string, HttpMethod[]> {
  const table: Record<string, HttpMethod[]> = { "/openapi.json": ["GET"] };
  for (const op of OPERATIONS) table[op.path] = [...(table[op.path] ?? []), op.method];
  for (const methods of Object.values(table)) methods.sort((a, b) => HTTP_METHODS.indexOf(a) - HTTP_METHODS.indexOf(b));
  return Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
}

/** The table as lib/server/api-routes.json holds it (Prettier's layout, so the generated file passes the format check). */
export function routeMethodsJson(): string {
  const lines = Object.entries(routeMethods()).map(
    ([path, methods]) => `  ${JSON.stringify(path)}: ${JSON.stringify(methods).replace(/,/g, ", ")}`,
  );
  return `{\n${lines.join(",\n")}\n}\n`;
}
