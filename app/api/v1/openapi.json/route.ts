import { openApiDocument } from "@/lib/api/openapi";
import { methodNotAllowed } from "@/lib/api/operation";
import { newRequestId, REQUEST_ID_HEADER } from "@/lib/api/respond";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document, generated from the routes' zod schemas (public).
let cached: string | undefined;
export async function GET() {
  cached ??= JSON.stringify(openApiDocument());
  return new Response(cached, {
    headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300", [REQUEST_ID_HEADER]: newRequestId() },
  });
}

// Any other method: the API's JSON 405 (Next's own is an empty body without a request id).
const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
