// Writes lib/server/api-routes.json, the methods of each /api/v1 path, from the
// operations in lib/api/v1 (server.mjs runs plain ESM and cannot import them).
// Run after adding or changing an operation: node_modules/.bin/tsx scripts/generate-api-routes.ts
import { writeFileSync } from "node:fs";
import { routeMethodsJson } from "@/lib/api/route-methods";

const file = new URL("../lib/server/api-routes.json", import.meta.url);
writeFileSync(file, routeMethodsJson());
console.log(`Wrote ${file.pathname}`);
