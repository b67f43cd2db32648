/**
 * The bodies of the account events (ours; docs/api-v1.md §5) for the OpenAPI
 * document's `webhooks` section: what a receiver gets at its delivery_url when
 * the workspace subscribes. Built by lib/webhooks/account-events.ts; these
 * schemas are checked against real bodies in lib/webhooks/account-events.test.ts.
 */
import { z } from "zod";
import { ACCOUNT_EVENTS, KEY_MODES, type AccountEvent } from "@/db/schema";

const head = (event: AccountEvent) => ({
  event: z.literal(event),
  event_id: z.string().meta({ description: "evt_…: the same on every attempt; receivers dedupe on it." }),
  timestamp: z.iso.datetime().meta({ description: "When the event happened." }),
  workspace_id: z.number().int(),
  mode: z.enum(KEY_MODES).meta({ description: "Whose settings it went by: test keys' events go by the test settings." }),
});

const key = {
  key_id: z.string(),
  key_name: z.string(),
  key_display: z.string().meta({ description: "The key as the keys list shows it (start…last4); never the secret." }),
  key_expires_at: z.iso.datetime().nullable(),
};

const example = (value: Record<string, unknown>) => ({
  event_id: "evt_4f1c2a9b7e3d5a6c8b0e1f2a",
  timestamp: "2026-03-01T09:00:00.000Z",
  workspace_id: 1,
  mode: "live",
  ...value,
});
const keyExample = {
  key_id: "key_8Hq2mZpW4rT",
  key_name: "Backend",
  key_display: "sk_prod_aB3d…x9Qz",
  key_expires_at: "2026-03-08T09:00:00.000Z",
};

export const ACCOUNT_EVENT_SCHEMAS = {
  "balance.low": z
    .strictObject({
      ...head("balance.low"),
      balance: z.number().meta({ description: "The balance right after the debit that crossed the threshold." }),
      threshold: z.number().meta({ description: "The workspace's low balance alert (Billing page)." }),
      currency: z.string(),
    })
    .meta({
      id: "BalanceLowEvent",
      description:
        "(ours) A debit took the balance from above the low balance alert to at or below it. Once per crossing: the next one follows only after the balance has gone back above the threshold. Always live.",
      example: example({ event: "balance.low", balance: 9.96, threshold: 10, currency: "EUR" }),
    }),
  "key.expiring": z.strictObject({ ...head("key.expiring"), ...key, expires_in_days: z.union([z.literal(7), z.literal(1)]) }).meta({
    id: "KeyExpiringEvent",
    description: "(ours) A key expires in 7 days, then in 1 day: each once per key and expiry date.",
    example: example({ event: "key.expiring", ...keyExample, expires_in_days: 7 }),
  }),
  "key.expired": z.strictObject({ ...head("key.expired"), ...key }).meta({
    id: "KeyExpiredEvent",
    description: "(ours) A key reached its expiry (once per key and expiry date).",
    example: example({ event: "key.expired", ...keyExample, key_expires_at: "2026-03-01T08:58:00.000Z" }),
  }),
  "key.revoked": z
    .strictObject({
      ...head("key.revoked"),
      ...key,
      revoked_at: z.iso.datetime(),
      revoked_with: z.string().nullable().meta({ description: "The key whose revocation revoked this one (a key it created); null." }),
    })
    .meta({
      id: "KeyRevokedEvent",
      description: "(ours) A key was revoked, in the portal or through the keys API; one event per key revoked with it.",
      example: example({ event: "key.revoked", ...keyExample, revoked_at: "2026-03-01T09:00:00.000Z", revoked_with: null }),
    }),
  "key.rolled": z
    .strictObject({
      ...head("key.rolled"),
      ...key,
      previous_secret_expires_at: z.iso
        .datetime()
        .nullable()
        .meta({ description: "Until when the old secret works; null: it stopped now." }),
    })
    .meta({
      id: "KeyRolledEvent",
      description: "(ours) A key got a new secret, in the portal or through the keys API.",
      example: example({ event: "key.rolled", ...keyExample, key_display: "sk_prod_Zk7q…4mNw", previous_secret_expires_at: null }),
    }),
} satisfies Record<AccountEvent, z.ZodType>;

/** OpenAPI 3.1 `webhooks`: one POST per account event to the workspace's delivery_url. */
export function accountEventWebhooks() {
  return Object.fromEntries(
    ACCOUNT_EVENTS.map((event) => [
      event,
      {
        post: {
          summary: `(ours) ${event}`,
          description:
            "Sent to the delivery_url of the workspace's settings (of the event's mode) when `events` includes it; signed and retried like delivery events (X-Webhook-Timestamp, X-Webhook-Signature).",
          tags: ["Webhooks"],
          requestBody: { required: true, content: { "application/json": { schema: ACCOUNT_EVENT_SCHEMAS[event] } } },
          responses: { "200": { description: "Any 2xx within 5 s is success." } },
        },
      },
    ]),
  );
}
