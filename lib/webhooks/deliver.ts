/**
 * Delivering webhook events (docs/api-v1.md §5): a signed JSON POST, 2xx within 5 s
 * or it failed; up to 3 attempts in all (10 s, then 30 s apart), each one a row
 * of webhook_deliveries. At-least-once: receivers dedupe on message_id.
 *
 * An event is enqueued in the transaction that produces it
 * (`enqueueDeliveryWebhook`) and each attempt is one job (`handleDeliveryJob`),
 * which enqueues the next attempt itself, delayed, in the transaction that logs
 * this one.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db";
import { apiKeys, EVENT_TYPES, KEY_MODES, type messages } from "@/db/schema";
import { QUEUES, type Queue } from "@/lib/queue/queue";
import { log } from "@/lib/log";
import { recordAttempt } from "./logs";
import { buildDeliveryPayload, serializePayload } from "./payload";
import { getWebhookSettings, subscribed, webhookSigningSecret } from "./settings";
import { assertPublicUrl, literalHostRefusal, parseHttpUrl, privateAddressesAllowed, safeLookup, UnsafeUrlError } from "./url-safety";

export const WEBHOOK_USER_AGENT = "AcmeMessaging-Webhooks/1.0";
export const WEBHOOK_TIMEOUT_MS = 5000;
const DEFAULT_RETRY_DELAYS_MS = [10_000, 30_000];
// Receivers answer with a status; their bodies are read (so the connection ends cleanly) but never kept.
const MAX_RESPONSE_BYTES = 64 * 1024;

// The start of a receiver's answer kept for "Send test" to show (never stored in the log).
const EXCERPT_BYTES = 512;
const EXCERPT_CHARS = 200;

export type DeliveryResult = {
  success: boolean;
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
  /** The start of the response body, as text (at most 200 characters); absent when nothing was answered. */
  responseExcerpt?: string;
};

/** The first bytes of a body as one short line of text: control characters become spaces, long text ends with "…". */
export function excerptOf(head: Buffer): string {
  // A UTF-8 sequence cut at the byte limit decodes to U+FFFD; drop a trailing one.
  const text = head.toString("utf8").replace(/\uFFFD$/, "");
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS)}…` : clean;
}

/** `sha256=<hex HMAC-SHA256(secret, "{timestamp}.{raw body}")>` — the X-Webhook-Signature header. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/**
 * One POST of `body` to `url`. Never throws: every failure (refused address,
 * connection error, timeout, non-2xx) is a result with a short error text.
 * Redirects are never followed (a 3xx is a failure), and the connection goes
 * only to a public address unless WEBHOOKS_ALLOW_PRIVATE=true.
 */
export async function deliverOnce(input: {
  url: string;
  body: string;
  secret?: string | null;
  timeoutMs?: number;
  /** When the attempt began (performance.now()), if before this call: the timeout and duration count from then. */
  startedAt?: number;
}): Promise<DeliveryResult> {
  const started = input.startedAt ?? performance.now();
  const failure = (error: string, responseStatus: number | null = null): DeliveryResult => ({
    success: false,
    responseStatus,
    durationMs: Math.round(performance.now() - started),
    error,
  });
  let target: URL;
  try {
    target = parseHttpUrl(input.url);
  } catch (error) {
    return failure((error as Error).message);
  }
  const allowPrivate = privateAddressesAllowed();
  // A literal IP host never goes through a lookup, so it is checked here.
  const refusal = allowPrivate ? null : literalHostRefusal(target);
  if (refusal) return failure(`refused: ${refusal}`);

  const timeoutMs = input.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(input.body)),
    "User-Agent": WEBHOOK_USER_AGENT,
    "X-Webhook-Timestamp": timestamp,
  };
  if (input.secret) headers["X-Webhook-Signature"] = webhookSignature(input.secret, timestamp, input.body);

  return new Promise<DeliveryResult>((resolve) => {
    let request: http.ClientRequest | undefined;
    let settled = false;
    const finish = (result: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(timedOut(timeoutMs, started)), Math.max(0, started + timeoutMs - performance.now()));
    const head: Buffer[] = [];
    let headBytes = 0;
    const answered = (status: number): DeliveryResult => ({
      ...(status >= 200 && status < 300
        ? { success: true, responseStatus: status, durationMs: Math.round(performance.now() - started), error: null }
        : failure(status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`, status)),
      responseExcerpt: excerptOf(Buffer.concat(head)),
    });
    try {
      const send = target.protocol === "https:" ? https.request : http.request;
      request = send(target, { method: "POST", headers, agent: false, lookup: allowPrivate ? undefined : safeLookup }, (response) => {
        const status = response.statusCode ?? 0;
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (headBytes < EXCERPT_BYTES) {
            head.push(chunk.subarray(0, EXCERPT_BYTES - headBytes));
            headBytes += Math.min(chunk.length, EXCERPT_BYTES - headBytes);
          }
          if (received > MAX_RESPONSE_BYTES) finish(answered(status));
        });
        response.on("end", () => finish(answered(status)));
        response.on("error", (error) => finish(failure(describeError(error))));
      });
      request.on("error", (error) => finish(failure(describeError(error))));
      request.end(input.body);
    } catch (error) {
      finish(failure(describeError(error as Error)));
    }
  });
}

function timedOut(timeoutMs: number, started: number): DeliveryResult {
  return {
    success: false,
    responseStatus: null,
    durationMs: Math.round(performance.now() - started),
    error: `timed out after ${timeoutMs / 1000} s`,
  };
}

/** `work`'s value, or null when it has not settled within `ms` (the work itself is left to finish or hang on its own). */
async function within<T>(work: Promise<T>, ms: number): Promise<{ value: T } | null> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), Math.max(0, ms))));
  try {
    return await Promise.race([work.then((value) => ({ value })), expired]);
  } finally {
    clearTimeout(timer);
  }
}

const ERROR_TEXTS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by the receiver",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host could not be resolved (temporary DNS failure)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

function describeError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? "";
  if (code === "EUNSAFEADDRESS") return error.message;
  if (ERROR_TEXTS[code]) return ERROR_TEXTS[code];
  if (/CERT|SSL|TLS/i.test(code)) return `TLS error (${code})`;
  return (code ? `${code}: ` : "") + error.message;
}

/** Delays between attempts: WEBHOOK_RETRY_DELAYS_MS ("10000,30000" by default); attempts in all = delays + 1. */
export function retryDelaysMs(): number[] {
  const raw = process.env.WEBHOOK_RETRY_DELAYS_MS;
  if (!raw) return DEFAULT_RETRY_DELAYS_MS;
  const delays = raw.split(",").map((part) => Number(part.trim()));
  if (delays.some((d) => !Number.isInteger(d) || d < 0)) {
    log.warn({ value: raw }, "WEBHOOK_RETRY_DELAYS_MS is not a list of milliseconds; using 10000,30000");
    return DEFAULT_RETRY_DELAYS_MS;
  }
  return delays;
}

/** The data of one QUEUES.webhookDeliver job: one attempt of one event. */
export const deliveryJobSchema = z.object({
  workspaceId: z.number().int(),
  // Whose settings sign it and whose log shows it. Jobs enqueued before modes existed were live.
  mode: z.enum(KEY_MODES).default("live"),
  keyId: z.string().nullable(),
  event: z.enum(EVENT_TYPES),
  url: z.string(),
  messageId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  attempt: z.number().int().min(1),
});
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

/**
 * Delivery-time checks, then the POST. `retryable` is false for refusals that
 * another attempt cannot change (an unsafe address, an unreadable secret).
 */
export async function attemptDelivery(db: DbOrTx, job: DeliveryJob): Promise<DeliveryResult & { retryable: boolean }> {
  // One 5 s budget for the whole attempt, name resolution included: the system resolver can hang far longer
  // (and POST /user/webhooks/test waits for this), so a lookup that has not answered in time is a timeout.
  const started = performance.now();
  const refused = (error: string) => ({ success: false, responseStatus: null, durationMs: 0, error, retryable: false });
  try {
    // The URL was checked when saved (settings and keys' postback URLs alike); names can be re-pointed since.
    const checked = await within(assertPublicUrl(job.url), WEBHOOK_TIMEOUT_MS);
    if (!checked) return { ...timedOut(WEBHOOK_TIMEOUT_MS, started), retryable: true };
  } catch (error) {
    if (error instanceof UnsafeUrlError) return refused(error.message);
    throw error;
  }
  let secret: string | null;
  try {
    secret = await webhookSigningSecret(db, job.workspaceId, job.mode);
  } catch (error) {
    // Never sent unsigned when a secret is set; the cause (key changed, tampering) is for the operator.
    log.error({ err: error, workspaceId: job.workspaceId }, "webhook signing secret could not be decrypted");
    return refused("signing secret could not be decrypted; set it again");
  }
  const result = await deliverOnce({ url: job.url, body: serializePayload(job.event, job.payload), secret, startedAt: started });
  return { ...result, retryable: !result.success };
}

/**
 * The worker body for QUEUES.webhookDeliver: one attempt, logged; on a
 * retryable failure with attempts left, the next attempt is enqueued (delayed)
 * in the same transaction as this attempt's log row.
 */
export async function handleDeliveryJob(db: Db, queue: Queue, data: unknown): Promise<void> {
  const job = deliveryJobSchema.parse(data);
  const outcome = await attemptDelivery(db, job);
  const delays = retryDelaysMs();
  const retry = outcome.retryable && job.attempt <= delays.length;
  // Logged with the attempt, so the log shows when the next one is due.
  const nextAttemptAt = retry ? new Date(Date.now() + delays[job.attempt - 1]) : null;
  await db.transaction(async (tx) => {
    await recordAttempt(tx, {
      workspaceId: job.workspaceId,
      mode: job.mode,
      keyId: job.keyId,
      event: job.event,
      url: job.url,
      messageId: job.messageId,
      attempt: job.attempt,
      success: outcome.success,
      responseStatus: outcome.responseStatus,
      durationMs: outcome.durationMs,
      error: outcome.error,
      nextAttemptAt,
    });
    if (nextAttemptAt) {
      const next: DeliveryJob = { ...job, attempt: job.attempt + 1 };
      await queue.send(tx, QUEUES.webhookDeliver, next, { startAfter: nextAttemptAt });
    }
  });
}

/**
 * Called in the transaction that gives a message its final status: enqueues
 * its delivery event to the key's own postback URL when the key has one, else
 * to the delivery_url of the workspace's settings for the message's mode (a
 * sandbox message goes by the test settings) when they subscribe to delivery
 * events (the default); nothing when neither is set. The
 * body is built now, from that mode's chosen delivery fields.
 */
export async function enqueueDeliveryWebhook(tx: DbOrTx, queue: Queue, message: typeof messages.$inferSelect): Promise<void> {
  await enqueueDeliveryWebhooks(tx, queue, [message]);
}

/**
 * The same for a batch of messages (delivery reports arrive in batches): each
 * key's postback URL and each workspace's settings (per mode) are read once per batch,
 * not once per message.
 */
export async function enqueueDeliveryWebhooks(tx: DbOrTx, queue: Queue, batch: (typeof messages.$inferSelect)[]): Promise<void> {
  const postbacks = new Map<string, Promise<string | null>>();
  const settingsOf = new Map<string, ReturnType<typeof getWebhookSettings>>();
  for (const message of batch) {
    let url: string | null = null;
    if (message.keyId) {
      const id = `${message.workspaceId}:${message.keyId}`;
      if (!postbacks.has(id)) postbacks.set(id, postbackUrl(tx, message.workspaceId, message.keyId));
      url = await postbacks.get(id)!;
    }
    const settingsId = `${message.workspaceId}:${message.mode}`;
    if (!settingsOf.has(settingsId)) settingsOf.set(settingsId, getWebhookSettings(tx, message.workspaceId, message.mode));
    const settings = await settingsOf.get(settingsId)!;
    url ??= subscribed(settings, "delivery") ? settings.urls.delivery : null;
    if (!url) continue;
    const job: DeliveryJob = {
      workspaceId: message.workspaceId,
      mode: message.mode,
      keyId: message.keyId,
      event: "delivery",
      url,
      messageId: message.messageId,
      payload: buildDeliveryPayload(message, settings.fields.delivery),
      attempt: 1,
    };
    await queue.send(tx, QUEUES.webhookDeliver, job);
  }
}

async function postbackUrl(tx: DbOrTx, workspaceId: number, keyId: string): Promise<string | null> {
  const [key] = await tx
    .select({ postbackUrl: apiKeys.postbackUrl })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, workspaceId)));
  return key?.postbackUrl || null;
}
