import { z } from "zod";
import { ACCOUNT_EVENTS, EVENT_TYPES, WEBHOOK_EVENTS, type EventType, type WebhookEvent } from "@/db/schema";
import { CLICK_FIELDS, CONVERSION_FIELDS, DELIVERY_FIELDS, EVENT_FIELDS, IMPRESSION_FIELDS } from "@/lib/webhooks/fields";
import { listDeliveryLogs } from "@/lib/webhooks/logs";
import { getWebhookSettings, updateWebhookSettings, type WebhookSettingsPatch, type WebhookSettingsView } from "@/lib/webhooks/settings";
import { checkSigningSecret, checkWebhookUrl, MAX_WEBHOOK_URL_LENGTH, SIGNING_SECRET_MAX, type Checked } from "@/lib/webhooks/http-url";
import { sendTestEvent } from "@/lib/webhooks/test-event";
import { firstUnsafeUrl } from "@/lib/webhooks/url-safety";
import { ApiError, type ApiErrorCode } from "../errors";
import { keyActor } from "../key-actor";
import { operation } from "../operation";
import { GUARD_ERRORS } from "./account";

const EVENTS_NOTE = `(ours) The events this mode's URLs receive. The message events (${WEBHOOK_EVENTS.join(", ")}) go to their own URLs; the account events (${ACCOUNT_EVENTS.join(", ")}) go to delivery_url. Default: the message events only.`;

/** The settings as the API shows them (docs/api-v1.md §5): never the secret, only whether one is set. */
export const webhookSettingsSchema = z
  .object({
    delivery_url: z.string().nullable(),
    click_url: z.string().nullable(),
    impression_url: z.string().nullable(),
    conversion_url: z.string().nullable(),
    delivery_fields: z.array(z.enum(DELIVERY_FIELDS)),
    click_fields: z.array(z.enum(CLICK_FIELDS)),
    impression_fields: z.array(z.enum(IMPRESSION_FIELDS)),
    conversion_fields: z.array(z.enum(CONVERSION_FIELDS)),
    unique_clicks_only: z.boolean(),
    signing_secret_set: z.boolean(),
    events: z.array(z.enum(EVENT_TYPES)).meta({ description: EVENTS_NOTE }),
  })
  .meta({ id: "WebhookSettings" });
const settingsResponse = z.object({ status: z.literal(true), webhooks: webhookSettingsSchema });

function toApiSettings(view: WebhookSettingsView) {
  return {
    status: true as const,
    webhooks: {
      delivery_url: view.urls.delivery,
      click_url: view.urls.click,
      impression_url: view.urls.impression,
      conversion_url: view.urls.conversion,
      delivery_fields: view.fields.delivery,
      click_fields: view.fields.click,
      impression_fields: view.fields.impression,
      conversion_fields: view.fields.conversion,
      unique_clicks_only: view.uniqueClicksOnly,
      signing_secret_set: view.signingSecretSet,
      events: view.events,
    },
  } as z.infer<typeof settingsResponse>;
}

/**
 * A body field whose every failure answers one documented code (docs/api-v1.md §2:
 * INVALID_URL, INVALID_SECRET, …): a custom issue carrying `params.error_code`.
 * Absent stays undefined (partial update). `doc` is its OpenAPI schema.
 */
function coded<T>(code: ApiErrorCode, check: (value: unknown) => Checked<T>, doc: Record<string, unknown>) {
  return z
    .unknown()
    .transform((value, ctx): T => {
      const checked = check(value);
      if (checked.ok) return checked.value;
      ctx.addIssue({ code: "custom", message: checked.message, params: { error_code: code } });
      return z.NEVER;
    })
    .meta({ override: doc })
    .optional();
}

const urlField = (event: WebhookEvent) =>
  coded<string | null>("INVALID_URL", checkWebhookUrl, {
    type: ["string", "null"],
    format: "uri",
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    description: `Where ${event} events go (http or https, public address); null or "" disables them.`,
  });

const fieldsField = (event: WebhookEvent) =>
  coded<string[]>(
    "INVALID_FIELDS",
    (value) => {
      const allowed = EVENT_FIELDS[event];
      if (!Array.isArray(value) || value.length === 0) return { ok: false, message: `must be a non-empty list of ${event} fields` };
      const unknown = value.find((f) => typeof f !== "string" || !allowed.includes(f));
      if (unknown !== undefined)
        return { ok: false, message: `unknown ${event} field ${JSON.stringify(unknown)} (allowed: ${allowed.join(", ")})` };
      return { ok: true, value: value as string[] };
    },
    {
      type: "array",
      minItems: 1,
      items: { type: "string", enum: [...EVENT_FIELDS[event]] },
      description: `The fields of ${event} payloads.`,
    },
  );

const toggleField = (description: string) =>
  coded<boolean>(
    "INVALID_TOGGLE",
    (value) => (typeof value === "boolean" ? { ok: true, value } : { ok: false, message: "must be true or false" }),
    {
      type: "boolean",
      description,
    },
  );

const eventsField = coded<EventType[]>(
  "INVALID_EVENTS",
  (value) => {
    if (!Array.isArray(value)) return { ok: false, message: "must be a list of event names (an empty list receives nothing)" };
    const unknown = value.find((e) => typeof e !== "string" || !(EVENT_TYPES as readonly string[]).includes(e));
    if (unknown !== undefined)
      return { ok: false, message: `unknown event ${JSON.stringify(unknown)} (allowed: ${EVENT_TYPES.join(", ")})` };
    return { ok: true, value: value as EventType[] };
  },
  {
    type: "array",
    items: { type: "string", enum: [...EVENT_TYPES] },
    uniqueItems: false,
    description: `${EVENTS_NOTE} The whole list: what it leaves out is not received.`,
  },
);

const secretField = coded<string>("INVALID_SECRET", checkSigningSecret, {
  type: "string",
  minLength: 1,
  maxLength: SIGNING_SECRET_MAX,
  writeOnly: true,
  description: "Sets or rotates the secret that signs deliveries. Never returned.",
});

/** PUT /user/webhooks: any subset; unknown fields (e.g. signing_secret_set from a GET) are ignored. */
export const updateWebhooksBody = z
  .object({
    delivery_url: urlField("delivery"),
    click_url: urlField("click"),
    impression_url: urlField("impression"),
    conversion_url: urlField("conversion"),
    delivery_fields: fieldsField("delivery"),
    click_fields: fieldsField("click"),
    impression_fields: fieldsField("impression"),
    conversion_fields: fieldsField("conversion"),
    unique_clicks_only: toggleField("Click events for the first click of each message only."),
    events: eventsField,
    signing_secret: secretField,
    clear_signing_secret: toggleField("true removes the signing secret (deliveries are then unsigned)."),
  })
  .superRefine((body, ctx) => {
    if (body.signing_secret !== undefined && body.clear_signing_secret === true) {
      ctx.addIssue({
        code: "custom",
        message: "signing_secret and clear_signing_secret: true cannot be sent together",
        params: { error_code: "CONFLICTING_FIELDS" },
      });
    }
  })
  .meta({ id: "UpdateWebhookSettings" });

function toPatch(body: z.output<typeof updateWebhooksBody>): WebhookSettingsPatch {
  const urls: WebhookSettingsPatch["urls"] = {};
  const fields: WebhookSettingsPatch["fields"] = {};
  for (const event of WEBHOOK_EVENTS) {
    urls[event] = body[`${event}_url`];
    fields[event] = body[`${event}_fields`];
  }
  return {
    urls,
    fields,
    uniqueClicksOnly: body.unique_clicks_only,
    events: body.events,
    signingSecret: body.signing_secret,
    clearSigningSecret: body.clear_signing_secret,
  };
}

const WRITE_ERRORS = [...GUARD_ERRORS, "INVALID_BODY", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"] as const;

const MODE_NOTE =
  "Settings are kept per mode: a live key reads and changes the live settings (those of the portal), a test key the test settings, which the sandbox's deliveries use.";

// GET /user/webhooks — the workspace's webhook settings of the key's mode (never the secret)
export const getWebhooks = operation(
  {
    method: "GET",
    path: "/user/webhooks",
    tag: "Webhooks",
    summary: "Get webhook settings",
    description: MODE_NOTE,
    permission: "webhooks.read",
    response: settingsResponse,
    errors: GUARD_ERRORS,
  },
  async ({ runtime, workspace, key }) => toApiSettings(await getWebhookSettings(runtime.db, workspace.id, key.mode)),
);

// PUT /user/webhooks — change URLs, fields, toggles and the signing secret of the key's mode; all or nothing
export const updateWebhooks = operation(
  {
    method: "PUT",
    path: "/user/webhooks",
    tag: "Webhooks",
    summary: "Update webhook settings",
    description: `A partial update. A URL must be http(s) and must not point at a private, loopback or link-local address. (ours) \`events\` chooses which events are sent, the account events (balance.low, key.expiring, key.expired, key.revoked, key.rolled) included; the change is audited with the list before and after. ${MODE_NOTE}`,
    permission: "webhooks.write",
    body: updateWebhooksBody,
    response: settingsResponse,
    errors: [...WRITE_ERRORS, "INVALID_URL", "INVALID_SECRET", "INVALID_FIELDS", "INVALID_TOGGLE", "INVALID_EVENTS", "CONFLICTING_FIELDS"],
  },
  async (ctx) => {
    const patch = toPatch(ctx.body);
    // Resolving names takes I/O, so it runs here, before anything is written.
    const unsafe = await firstUnsafeUrl(patch.urls ?? {});
    if (unsafe) throw new ApiError("INVALID_URL", `${unsafe.event}_url: ${unsafe.message}`);
    return toApiSettings(await updateWebhookSettings(ctx.runtime.db, keyActor(ctx), ctx.key.mode, patch));
  },
);

const testBody = z
  .object({ event: z.enum(WEBHOOK_EVENTS).default("delivery").meta({ description: "Which event to send a sample of." }) })
  .meta({ id: "TestWebhook" });
const testResponse = z.object({
  status: z.literal(true),
  event: z.enum(WEBHOOK_EVENTS),
  url: z.string(),
  success: z.boolean(),
  response_status: z.number().int().nullable(),
  duration_ms: z.number().int(),
  error: z.string().nullable().meta({ description: "Why it failed (timeout, refused address, HTTP status…); null on success." }),
  response_excerpt: z
    .string()
    .nullable()
    .meta({ description: "The start of the receiver's answer as text (at most 200 characters); null when it answered nothing." }),
});

// POST /user/webhooks/test — send a sample event now (one attempt, 5 s) and report how the receiver answered
export const testWebhook = operation(
  {
    method: "POST",
    path: "/user/webhooks/test",
    tag: "Webhooks",
    summary: "Send a test event",
    description:
      "Sends a sample event, signed like real ones, to the workspace's URL for that event in the key's mode; the attempt appears in that mode's logs.",
    permission: "webhooks.write",
    body: testBody,
    bodyOptional: true,
    response: testResponse,
    errors: [...WRITE_ERRORS, "NO_WEBHOOK_URL"],
  },
  async (ctx) => {
    const event = ctx.body.event;
    const sent = await sendTestEvent(ctx.runtime.db, { workspaceId: ctx.workspace.id, mode: ctx.key.mode, keyId: ctx.key.id, event });
    if (!sent) throw new ApiError("NO_WEBHOOK_URL", `No ${event}_url is set for this workspace`);
    return {
      status: true,
      event,
      url: sent.url,
      success: sent.success,
      response_status: sent.responseStatus,
      duration_ms: sent.durationMs,
      error: sent.error,
      response_excerpt: sent.responseExcerpt,
    };
  },
);

const logsQuery = z.object({
  event: z.enum(EVENT_TYPES).optional().meta({ description: "One event type; (ours) the account events (balance.low, key.*) too." }),
  success: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
const logEntrySchema = z
  .object({
    id: z.number().int(),
    event: z.enum(EVENT_TYPES).meta({ description: "The event type; (ours) the account events (balance.low, key.*) too." }),
    url: z.string(),
    message_id: z.string().nullable().meta({ description: "The message of a message event; null for account events." }),
    attempt: z.number().int(),
    success: z.boolean(),
    response_status: z.number().int().nullable(),
    duration_ms: z.number().int(),
    error: z.string().nullable(),
    test: z.boolean().meta({ description: "A sample sent by POST /user/webhooks/test or the portal's Send test." }),
    next_attempt_at: z.iso
      .datetime()
      .nullable()
      .meta({ description: "When the next attempt of this event is due; null when none follows." }),
    created_at: z.iso.datetime(),
  })
  .meta({ id: "WebhookDelivery" });
const logsResponse = z.object({
  logs: z.array(logEntrySchema),
  total: z.number(),
  page: z.number(),
  limit: z.number(),
  total_pages: z.number(),
});

// GET /user/webhooks/logs — every delivery attempt of the key's mode, newest first
export const listWebhookLogs = operation(
  {
    method: "GET",
    path: "/user/webhooks/logs",
    tag: "Webhooks",
    summary: "List webhook delivery attempts",
    description:
      "Attempts of the key's mode: a test key sees the sandbox's deliveries, a live key the live ones. (ours) Account events (balance.low, key.*) are listed with their type and can be filtered by it.",
    permission: "webhooks.read",
    query: logsQuery,
    response: logsResponse,
    errors: [...GUARD_ERRORS, "INVALID_PARAMETER"],
  },
  async ({ runtime, workspace, key, query }) => {
    const page = await listDeliveryLogs(runtime.db, workspace.id, key.mode, query);
    return {
      logs: page.rows.map((r) => ({
        id: r.id,
        event: r.event as EventType,
        url: r.url,
        message_id: r.messageId,
        attempt: r.attempt,
        success: r.success,
        response_status: r.responseStatus,
        duration_ms: r.durationMs,
        error: r.error,
        test: r.test,
        next_attempt_at: r.nextAttemptAt?.toISOString() ?? null,
        created_at: r.createdAt.toISOString(),
      })),
      total: page.total,
      page: page.page,
      limit: page.limit,
      total_pages: page.totalPages,
    };
  },
);
