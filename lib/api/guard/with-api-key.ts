import type { NextRequest } from "next/server";
import type { z } from "zod";
import { ServiceError, type ServiceErrorCode } from "@/lib/errors/service-error";
import type { VerifiedKey } from "@/lib/keys/verify";
import { log } from "@/lib/log";
import { clientAddress } from "@/lib/net/client-address";
import type { NamedPermission } from "@/lib/permissions/catalog";
import { grants } from "@/lib/permissions/math";
import { ApiError, type ApiErrorCode } from "../errors";
import type { RateState } from "../rate-limits";
import { errorResponse, json, newRequestId, rateHeaders, withRateHeaders } from "../respond";
import { getApiRuntime, readyApiRuntime, type ApiRuntime } from "../runtime";
import { checkAddress, checkSignature, checkStatus, findKey } from "./authenticate";
import { parseInput, queryObject } from "./parse-input";
import { parseJsonObject, readBody } from "./read-body";

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type GuardConfig<B extends Schema, Q extends Schema, P extends Schema> = {
  /** The permission this endpoint needs (`*` grants all). */
  permission: NamedPermission;
  body?: B;
  /** An empty body stands for `{}` (e.g. POST /keys/:id/roll with no options). */
  bodyOptional?: boolean;
  query?: Q;
  params?: P;
};

export type HandlerContext<B extends Schema, Q extends Schema, P extends Schema> = {
  request: NextRequest;
  requestId: string;
  key: VerifiedKey;
  workspace: { id: number; organizationId: number };
  address: string | null;
  body: Out<B>;
  /** The body exactly as received ("" when the endpoint takes none). */
  rawBody: string;
  query: Out<Q>;
  params: Out<P>;
  runtime: ApiRuntime;
};

type Segment = { params: Promise<Record<string, string | string[]>> };
/** `rate`: the workspace's standing for the RateLimit-* headers, once the caller is authenticated (else null). */
type Gate<B extends Schema, Q extends Schema, P extends Schema> =
  | { ok: true; key: VerifiedKey; rate: RateState; body: Out<B>; rawBody: string; query: Out<Q>; params: Out<P> }
  | { ok: false; error: ApiError; key: VerifiedKey | null; rate: RateState | null; addressBlocked?: true };

/**
 * Failed authentications, counted per client address: a missing key (an
 * anonymous request: nothing else limits or identifies those), an unknown or
 * malformed key, and a bad signature. Refusals of a known, valid secret
 * (inactive, expired, address, permission) are not guesses and do not count.
 */
const FAILED_AUTHENTICATION = new Set<ApiErrorCode>(["UNAUTHORIZED", "INVALID_API_KEY", "INVALID_SIGNATURE"]);

/** The domains' refusals (ServiceError) as this API's error codes. */
const SERVICE_TO_API = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  INVALID_INPUT: "INVALID_BODY",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMIT_EXCEEDED",
  INSUFFICIENT_BALANCE: "INSUFFICIENT_BALANCE",
  KEY_SPEND_LIMIT: "KEY_SPEND_LIMIT",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  SANDBOX_UNAVAILABLE: "SANDBOX_UNAVAILABLE",
  NOT_STORED: "DB_ERROR",
} as const satisfies Record<ServiceErrorCode, ApiErrorCode>;

/**
 * The one guard of /api/v1. The gate (authenticate → status → address →
 * signature → permission → rate limit → input) and the handler run in two
 * separate phases, so a handler's error can never turn into an authentication
 * error, nor the reverse. Every response carries X-Request-Id and is logged
 * (off the request path) unless the key is off the record; every response to
 * an authenticated caller carries the workspace's RateLimit-* headers.
 */
export function withApiKey<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
  config: GuardConfig<B, Q, P>,
  handler: (ctx: HandlerContext<B, Q, P>) => Promise<unknown>,
) {
  return async (request: NextRequest, segment?: Segment): Promise<Response> => {
    const startedAt = performance.now();
    // One read of the clock for the whole request (Next.js wraps Date): status, signature, rate window, log time.
    const now = Date.now();
    const requestId = newRequestId();
    const address = clientAddress(request.headers);
    let runtime: ApiRuntime;
    try {
      runtime = readyApiRuntime() ?? (await getApiRuntime());
    } catch (error) {
      log.error({ err: error, requestId }, "api runtime unavailable");
      return errorResponse(new ApiError("INTERNAL_ERROR", `Internal error (request ${requestId})`, { request_id: requestId }), requestId);
    }

    const gate = await runGate(config, request, segment, runtime, address, requestId, now);
    // The RateLimit-* headers go into the answer as it is made, not set on it afterwards.
    const extraHeaders = gate.rate ? rateHeaders(gate.rate) : undefined;
    let response: Response;
    let errorCode: string | null = null;
    if (!gate.ok) {
      response = errorResponse(gate.error, requestId, extraHeaders);
      errorCode = gate.error.code;
    } else {
      const ctx: HandlerContext<B, Q, P> = {
        request,
        requestId,
        key: gate.key,
        workspace: { id: gate.key.workspaceId, organizationId: gate.key.organizationId },
        address,
        body: gate.body,
        rawBody: gate.rawBody,
        query: gate.query,
        params: gate.params,
        runtime,
      };
      ({ response, errorCode } = await runHandler(handler, ctx, gate.rate));
      runtime.requestLog.touch(gate.key.id, address, now);
    }

    const key = gate.key;
    if (key) runtime.requestLog.count(key.id, response.status, errorCode, now);
    // A blocked address's further requests are refused before any I/O and not logged one by one:
    // otherwise one address could fill the log at line rate. The request that crossed the limit is logged.
    const addressBlocked = !gate.ok && gate.addressBlocked === true;
    if (!key?.offTheRecord && !addressBlocked) {
      runtime.requestLog.record({
        keyId: key?.id ?? null,
        workspaceId: key?.workspaceId ?? null,
        mode: key?.mode ?? null,
        method: request.method,
        path: request.nextUrl.pathname,
        status: response.status,
        errorCode,
        latencyMs: Math.round(performance.now() - startedAt),
        address,
        requestId,
        createdAt: new Date(now),
      });
    }
    return response;
  };
}

async function runGate<B extends Schema, Q extends Schema, P extends Schema>(
  config: GuardConfig<B, Q, P>,
  request: NextRequest,
  segment: Segment | undefined,
  runtime: ApiRuntime,
  address: string | null,
  requestId: string,
  now: number,
): Promise<Gate<B, Q, P>> {
  const blocked = runtime.limits.blockedFor(address, now);
  if (blocked > 0) return { ok: false, key: null, rate: null, error: tooManyAttempts(blocked), addressBlocked: true };
  let key: VerifiedKey | null = null;
  // Set once the caller has proved the key (status, address, signature): only then may it learn the workspace's standing.
  let authenticated = false;
  let rate: RateState | null = null;
  try {
    // Values that are not promises are not awaited: each await costs a turn and a promise (with Next's async hooks).
    const found = findKey(request.headers, runtime.keys);
    key = found instanceof Promise ? await found : found;
    checkStatus(key, now);
    checkAddress(key, address);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    // An HMAC key's body is read even where the endpoint takes none: the signature covers it.
    const raw = hasBody && (key.hmac || config.body) ? await readBody(request, config.body ? "strict" : "lenient") : "";
    if (key.hmac) {
      await checkSignature(
        key,
        { method: request.method, path: request.nextUrl.pathname, headers: request.headers, body: raw },
        runtime.replays,
        now,
      );
    }
    authenticated = true;
    if (!grants(key.permissions, config.permission)) {
      throw new ApiError("FORBIDDEN", `This API key lacks the ${config.permission} permission`);
    }
    const taken = runtime.limits.request(key.workspaceId, key.rateLimitPerSecond, now);
    const decision = taken instanceof Promise ? await taken : taken;
    rate = { limit: decision.limit, remaining: decision.remaining, resetSeconds: decision.resetSeconds };
    if (!decision.ok) {
      throw new ApiError("RATE_LIMIT_EXCEEDED", undefined, {}, { "Retry-After": String(decision.retryAfterSeconds) });
    }
    const json =
      config.bodyOptional && raw.trim() === "" ? {} : config.body ? parseJsonObject(raw, request.headers.get("content-type")) : undefined;
    const body = (config.body ? parseInput(config.body, json, "INVALID_BODY", "output") : undefined) as Out<B>;
    const query = (
      config.query ? parseInput(config.query, queryObject(request.nextUrl), "INVALID_PARAMETER", "input") : undefined
    ) as Out<Q>;
    const params = (config.params ? parseInput(config.params, await segment?.params, "NOT_FOUND", "input") : undefined) as Out<P>;
    return { ok: true, key, rate, body, rawBody: raw, query, params };
  } catch (error) {
    if (authenticated && key && !rate) rate = runtime.limits.standing(key.workspaceId, key.rateLimitPerSecond, now);
    if (!(error instanceof ApiError)) {
      // Logged and answered with the request id, like a handler's error (docs/api-v1.md §2).
      log.error({ err: error, requestId }, "api guard failed");
      return {
        ok: false,
        key,
        rate,
        error: new ApiError("INTERNAL_ERROR", `Internal error (request ${requestId})`, { request_id: requestId }),
      };
    }
    if (FAILED_AUTHENTICATION.has(error.code)) {
      const limited = await runtime.limits.failure(address).catch(() => ({ ok: true as const }));
      if (!limited.ok) return { ok: false, key, rate, error: tooManyAttempts(limited.retryAfterSeconds) };
    }
    return { ok: false, key, rate, error };
  }
}

function tooManyAttempts(retryAfterSeconds: number): ApiError {
  return new ApiError("TOO_MANY_ATTEMPTS", undefined, {}, { "Retry-After": String(retryAfterSeconds) });
}

async function runHandler<C extends { requestId: string }>(
  handler: (ctx: C) => Promise<unknown>,
  ctx: C,
  rate: RateState,
): Promise<{ response: Response; errorCode: string | null }> {
  try {
    const result = await handler(ctx);
    if (result instanceof Response) {
      // A response the handler made itself (a stream, a file): the headers are set on it, or on a copy.
      result.headers.set("X-Request-Id", ctx.requestId);
      return { response: withRateHeaders(result, rate), errorCode: null };
    }
    return { response: json(result, ctx.requestId, { headers: rateHeaders(rate) }), errorCode: null };
  } catch (error) {
    const headers = rateHeaders(rate);
    if (error instanceof ApiError) return { response: errorResponse(error, ctx.requestId, headers), errorCode: error.code };
    if (error instanceof ServiceError) {
      const apiError = new ApiError(SERVICE_TO_API[error.code], error.message, error.details);
      return { response: errorResponse(apiError, ctx.requestId, headers), errorCode: apiError.code };
    }
    log.error({ err: error, requestId: ctx.requestId }, "api handler failed");
    const internal = new ApiError("INTERNAL_ERROR", `Internal error (request ${ctx.requestId})`, { request_id: ctx.requestId });
    return { response: errorResponse(internal, ctx.requestId, headers), errorCode: internal.code };
  }
}
