/**
 * A workspace's webhook settings (docs/api-v1.md §5): one row per workspace, created
 * on the first change. The signing secret is stored encrypted, bound to the
 * workspace, and never read back out except to sign a delivery.
 */
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { WEBHOOK_EVENTS, webhookSettings, type WebhookEvent } from "@/db/schema";
import { diff, recordAudit } from "@/lib/audit/record";
import { decryptSecret, encryptSecret } from "@/lib/keys/encryption";
import type { ActorContext } from "@/lib/context/actor";
import { fieldsOrDefault, normalizeFields } from "./fields";

export const SIGNING_SECRET_MAX = 64;

type Row = typeof webhookSettings.$inferSelect;

export type WebhookSettingsView = {
  urls: Record<WebhookEvent, string | null>;
  fields: Record<WebhookEvent, string[]>;
  uniqueClicksOnly: boolean;
  signingSecretSet: boolean;
};

/** Only what is given changes; a URL of null disables that event. */
export type WebhookSettingsPatch = {
  urls?: Partial<Record<WebhookEvent, string | null>>;
  fields?: Partial<Record<WebhookEvent, string[]>>;
  uniqueClicksOnly?: boolean;
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

/** The encryption context: a secret copied to another workspace's row fails to decrypt there. */
const secretContext = (workspaceId: number) => `webhook:${workspaceId}`;

function toView(row: Row | undefined): WebhookSettingsView {
  const urls = {} as WebhookSettingsView["urls"];
  const fields = {} as WebhookSettingsView["fields"];
  for (const event of WEBHOOK_EVENTS) {
    urls[event] = row?.[URL_COLUMN[event]] ?? null;
    fields[event] = fieldsOrDefault(event, row?.[FIELDS_COLUMN[event]]);
  }
  return { urls, fields, uniqueClicksOnly: row?.uniqueClicksOnly ?? false, signingSecretSet: Boolean(row?.signingSecretEncrypted) };
}

async function readRow(db: DbOrTx, workspaceId: number, forUpdate = false): Promise<Row | undefined> {
  const query = db.select().from(webhookSettings).where(eq(webhookSettings.workspaceId, workspaceId));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row;
}

/** The settings, with defaults for a workspace that never saved any. */
export async function getWebhookSettings(db: DbOrTx, workspaceId: number): Promise<WebhookSettingsView> {
  return toView(await readRow(db, workspaceId));
}

/** The URL an event of this workspace goes to, or null when that event is off. */
export async function webhookUrl(db: DbOrTx, workspaceId: number, event: WebhookEvent): Promise<string | null> {
  return (await getWebhookSettings(db, workspaceId)).urls[event];
}

/** The plain signing secret, for signing a delivery; null when none is set. Throws when it cannot be decrypted. */
export async function webhookSigningSecret(db: DbOrTx, workspaceId: number): Promise<string | null> {
  const [row] = await db
    .select({ encrypted: webhookSettings.signingSecretEncrypted })
    .from(webhookSettings)
    .where(eq(webhookSettings.workspaceId, workspaceId));
  return row?.encrypted ? decryptSecret(row.encrypted, secretContext(workspaceId)) : null;
}

/**
 * Applies a validated patch (URLs already checked for safety by the caller) in
 * one transaction with its audit event; returns the new settings.
 */
export async function updateWebhookSettings(db: Db, ctx: ActorContext, patch: WebhookSettingsPatch): Promise<WebhookSettingsView> {
  const workspaceId = ctx.workspaceId;
  const columns: Partial<Omit<Row, "workspaceId">> = {};
  for (const event of WEBHOOK_EVENTS) {
    const url = patch.urls?.[event];
    if (url !== undefined) columns[URL_COLUMN[event]] = url;
    const fields = patch.fields?.[event];
    if (fields !== undefined) columns[FIELDS_COLUMN[event]] = normalizeFields(event, fields);
  }
  if (patch.uniqueClicksOnly !== undefined) columns.uniqueClicksOnly = patch.uniqueClicksOnly;
  if (patch.signingSecret !== undefined) columns.signingSecretEncrypted = encryptSecret(patch.signingSecret, secretContext(workspaceId));
  else if (patch.clearSigningSecret) columns.signingSecretEncrypted = null;
  if (Object.keys(columns).length === 0) return getWebhookSettings(db, workspaceId);

  return db.transaction(async (tx) => {
    const before = toView(await readRow(tx, workspaceId, true));
    const values = { ...columns, updatedAt: new Date() };
    const [row] = await tx
      .insert(webhookSettings)
      .values({ workspaceId, ...values })
      .onConflictDoUpdate({ target: webhookSettings.workspaceId, set: values })
      .returning();
    const after = toView(row);
    // Never the secret, only whether one is set and that it changed.
    const changes = diff(flatten(before), flatten(after));
    if (patch.signingSecret !== undefined) changes.signingSecret = { before: before.signingSecretSet ? "set" : null, after: "new secret" };
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, ctx, { action: "webhooks.update", targetType: "workspace", targetId: String(workspaceId), changes });
    }
    return after;
  });
}

function flatten(view: WebhookSettingsView): Record<string, unknown> {
  const out: Record<string, unknown> = { uniqueClicksOnly: view.uniqueClicksOnly, signingSecretSet: view.signingSecretSet };
  for (const event of WEBHOOK_EVENTS) {
    out[URL_COLUMN[event]] = view.urls[event];
    out[FIELDS_COLUMN[event]] = view.fields[event];
  }
  return out;
}
