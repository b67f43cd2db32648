import { openApiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document, generated from the routes' zod schemas (public).
let cached: string | undefined;
export async function GET() {
  cached ??= JSON.stringify(openApiDocument());
  return new Response(cached, { headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" } });
}
