/**
 * Types for unrouted-api.mjs (plain ESM run by server.mjs), so TypeScript code and tests can import it.
 * Answers the /api/v1 requests Next.js cannot route (unrouted methods, undecodable paths) in the JSON envelope.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const API_PREFIX: "/api/v1";

/** Each /api/v1 path (OpenAPI template, e.g. "/keys/{id}") → the methods it serves (lib/server/api-routes.json). */
export const API_ROUTES: Record<string, string[]>;

export type UnroutedAnswer = { status: number; headers: Record<string, string>; body: string };

/** The answer to a request Next cannot route, or null when Next should handle it. `url` is the request target as received. */
export function unroutedApiAnswer(method: string | undefined, url: string | undefined): UnroutedAnswer | null;

/** Writes that answer to `res`; true when it did (server.mjs then stops), false to pass the request on to Next. */
export function answerUnroutedApiRequest(req: IncomingMessage, res: ServerResponse): boolean;

export function newRequestId(): string;
