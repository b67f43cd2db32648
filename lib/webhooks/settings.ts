/**
 * A workspace's webhook settings (docs/api-v1.md §5): one row per workspace and mode,
 * created on the first change. Live keys and the portal use the live settings;
 * test keys read and change the test ones, which the sandbox's deliveries go by,
 * so a test key can never redirect live events. The signing secret is stored
 * encrypted, bound to the workspace and mode, and never read back out except to
 * sign a delivery.
 */
import { and, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { DEFAULT_SUBSCRIPTIONS, EVENT_TYPES, WEBHOOK_EVENTS, webhookSettings, type EventType, type WebhookEvent } from "@/db/schema";
import { diff, recordAudit } from "@/lib/audit/record";
import { decryptSecret, encryptSecret } from "@/lib/keys/encryption";
import type { KeyMode } from "@/lib/keys/format";
import type { ActorContext } from "@/lib/context/actor";
import { fieldsOrDefault, normalizeFields } from "./fields";

export { SIGNING_SECRET_MAX } from "./http-url";

type Row = typeof webhookSettings.$inferSelect;

export type WebhookSettingsView = {
  urls: Record<WebhookEvent, string | null>;
  fields: Record<WebhookEvent, string[]>;
  uniqueClicksOnly: boolean;
  /** The events this mode's URLs receive, in catalog order (the defaults until the workspace chooses). */
  events: EventType[];
  signingSecretSet: boolean;
  /** When the current secret was set (null when none is, or it was set before this was recorded). */
  signingSecretSetAt: Date | null;
};

/** Only what is given changes; a URL of null disables that event. */
export type WebhookSettingsPatch = {
  urls?: Partial<Record<WebhookEvent, string | null>>;
  fields?: Partial<Record<WebhookEvent, string[]>>;
  uniqueClicksOnly?: boolean;
  /** The whole list of subscribed events (an empty list receives nothing). */
  events?: readonly EventType[];
  /** Sets or rotates the secret (1–64 characters). */
  signingSecret?: string;
  clearSigningSecret?: boolean;
};

const URL_COLUMN = { delivery: "deliveryUrl", click: "clickUrl", impression: "impressionUrl", conversion: "conversionUrl" } as const;
const FIELDS_COLUMN = {
  delivery: "deliveryFields",
  click: "clickFields",
  impression: "impressionFields",
  conversion: "conversionFields",
} as const;

/** The encryption context: a secret copied to another workspace's (or mode's) row fails to decrypt there. */
const secretContext = (workspaceId: number, mode: KeyMode) =>
  mode === "live" ? `webhook:${workspaceId}` : `webhook:${workspaceId}:${mode}`;

const ofMode = (workspaceId: number, mode: KeyMode) => and(eq(webhookSettings.workspaceId, workspaceId), eq(webhookSettings.mode, mode));

function toView(row: Row | undefined): WebhookSettingsView {
  const urls = {} as WebhookSettingsView["urls"];
  const fields = {} as WebhookSettingsView["fields"];
  for (const event of WEBHOOK_EVENTS) {
    urls[event] = row?.[URL_COLUMN[event]] ?? null;
    fields[event] = fieldsOrDefault(event, row?.[FIELDS_COLUMN[event]]);
  }
  const signingSecretSet = Boolean(row?.signingSecretEncrypted);
  return {
    urls,
    fields,
    uniqueClicksOnly: row?.uniqueClicksOnly ?? false,
    events: subscriptionsOf(row?.events),
    signingSecretSet,
    signingSecretSetAt: signingSecretSet ? (row?.signingSecretSetAt ?? null) : null,
  };
}

/** A stored list in catalog order, unknown names dropped; null is the defaults. */
function subscriptionsOf(stored: readonly string[] | null | undefined): EventType[] {
  const chosen = stored ?? DEFAULT_SUBSCRIPTIONS;
  return EVENT_TYPES.filter((event) => chosen.includes(event));
}

/** Whether this mode's settings send `event` (to its URL, when one is set). */
export function subscribed(view: WebhookSettingsView, event: EventType): boolean {
  return view.events.includes(event);
}

async function readRow(db: DbOrTx, workspaceId: number, mode: KeyMode, forUpdate = false): Promise<Row | undefined> {
  const query = db.select().from(webhookSettings).where(ofMode(workspaceId, mode));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row;
}

/** The settings of one mode, with defaults for a workspace that never saved any. */
export async function getWebhookSettings(db: DbOrTx, workspaceId: number, mode: KeyMode): Promise<WebhookSettingsView> {
  return toView(await readRow(db, workspaceId, mode));
}

/** The URL an event of this workspace and mode goes to, or null when that event is off. */
export async function webhookUrl(db: DbOrTx, workspaceId: number, mode: KeyMode, event: WebhookEvent): Promise<string | null> {
  return (await getWebhookSettings(db, workspaceId, mode)).urls[event];
}

/** The plain signing secret of one mode, for signing a delivery; null when none is set. Throws when it cannot be decrypted. */
export async function webhookSigningSecret(db: DbOrTx, workspaceId: number, mode: KeyMode): Promise<string | null> {
  const [row] = await db
    .select({ encrypted: webhookSettings.signingSecretEncrypted })
    .from(webhookSettings)
    .where(ofMode(workspaceId, mode));
  return row?.encrypted ? decryptSecret(row.encrypted, secretContext(workspaceId, mode)) : null;
}

/**
 * Applies a validated patch (URLs already checked for safety by the caller) to
 * one mode's settings in one transaction with its audit event (`webhooks.update`
 * for live, `webhooks.update_test` for test); returns the new settings.
 */
export async function updateWebhookSettings(
  db: Db,
  ctx: ActorContext,
  mode: KeyMode,
  patch: WebhookSettingsPatch,
): Promise<WebhookSettingsView> {
  const workspaceId = ctx.workspaceId;
  const columns: Partial<Omit<Row, "workspaceId">> = {};
  for (const event of WEBHOOK_EVENTS) {
    const url = patch.urls?.[event];
    if (url !== undefined) columns[URL_COLUMN[event]] = url;
    const fields = patch.fields?.[event];
    if (fields !== undefined) columns[FIELDS_COLUMN[event]] = normalizeFields(event, fields);
  }
  if (patch.uniqueClicksOnly !== undefined) columns.uniqueClicksOnly = patch.uniqueClicksOnly;
  if (patch.events !== undefined) columns.events = subscriptionsOf(patch.events);
  if (patch.signingSecret !== undefined) {
    columns.signingSecretEncrypted = encryptSecret(patch.signingSecret, secretContext(workspaceId, mode));
    columns.signingSecretSetAt = new Date();
  } else if (patch.clearSigningSecret) {
    columns.signingSecretEncrypted = null;
    columns.signingSecretSetAt = null;
  }
  if (Object.keys(columns).length === 0) return getWebhookSettings(db, workspaceId, mode);

  return db.transaction(async (tx) => {
    const before = toView(await readRow(tx, workspaceId, mode, true));
    const values = { ...columns, updatedAt: new Date() };
    const [row] = await tx
      .insert(webhookSettings)
      .values({ workspaceId, mode, ...values })
      .onConflictDoUpdate({ target: [webhookSettings.workspaceId, webhookSettings.mode], set: values })
      .returning();
    const after = toView(row);
    // Never the secret, only whether one is set and that it changed.
    const changes = diff(flatten(before), flatten(after));
    if (patch.signingSecret !== undefined) changes.signingSecret = { before: before.signingSecretSet ? "set" : null, after: "new secret" };
    if (Object.keys(changes).length > 0) {
      const action = mode === "live" ? "webhooks.update" : "webhooks.update_test";
      await recordAudit(tx, ctx, { action, targetType: "workspace", targetId: String(workspaceId), changes });
    }
    return after;
  });
}

function flatten(view: WebhookSettingsView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    uniqueClicksOnly: view.uniqueClicksOnly,
    events: view.events,
    signingSecretSet: view.signingSecretSet,
  };
  for (const event of WEBHOOK_EVENTS) {
    out[URL_COLUMN[event]] = view.urls[event];
    out[FIELDS_COLUMN[event]] = view.fields[event];
  }
  return out;
}
