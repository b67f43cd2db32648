import type { NextRequest } from "next/server";
import type { z } from "zod";
import { ApiError, type ApiErrorCode } from "./errors";
import { errorResponse, newRequestId } from "./respond";
import { withApiKey, type GuardConfig, type HandlerContext } from "./guard/with-api-key";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Schema = z.ZodType | undefined;
type RouteHandler = (request: NextRequest, segment?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * One endpoint of /api/v1 as data: its method and path, the permission it
 * needs, its input and output schemas and the errors it may answer. The route
 * file binds `handle`; the OpenAPI document is generated from the same object.
 */
export type Operation = {
  method: HttpMethod;
  /** OpenAPI path under /api/v1, e.g. "/keys/{id}". */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  permission: GuardConfig<Schema, Schema, Schema>["permission"];
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  response: z.ZodType;
  /** The success response's media type; application/json unless said (e.g. text/csv). */
  responseType?: string;
  status?: number;
  errors: ApiErrorCode[];
  handle: RouteHandler;
};

export function operation<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
  definition: Omit<Operation, "handle" | "body" | "query" | "params"> & GuardConfig<B, Q, P>,
  handler: (ctx: HandlerContext<B, Q, P>) => Promise<unknown>,
): Operation {
  return { ...definition, handle: withApiKey(definition, handler) } as Operation;
}

/** A handler for the methods a path does not serve: 405 METHOD_NOT_ALLOWED in JSON, with `Allow`. */
export function methodNotAllowed(allow: string): RouteHandler {
  return async (request) =>
    errorResponse(
      new ApiError("METHOD_NOT_ALLOWED", `${request.method} is not allowed here; use ${allow}`, {}, { Allow: allow }),
      newRequestId(),
    );
}

/** A route file's exports: each of its operations by method; every other method answers 405 in JSON. */
export function routeHandlers(...operations: Operation[]): Record<HttpMethod, RouteHandler> {
  const notAllowed = methodNotAllowed(operations.map((o) => o.method).join(", "));
  return Object.fromEntries(
    HTTP_METHODS.map((method) => [method, operations.find((o) => o.method === method)?.handle ?? notAllowed]),
  ) as Record<HttpMethod, RouteHandler>;
}
