import { ApiError } from "@/lib/api/errors";
import { errorResponse, newRequestId } from "@/lib/api/respond";

// ANY /api/v1/<unknown> — a JSON 404, never Next's HTML page.
async function notFound(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  return errorResponse(new ApiError("NOT_FOUND", `No endpoint at ${path}`), newRequestId());
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as HEAD, notFound as OPTIONS };
