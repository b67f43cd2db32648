import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { apiKeys, auditEvents, users, type ApiKeyRow } from "@/db/schema";
import { diff, recordAudit } from "@/lib/audit/record";
import { ServiceError, notFound } from "@/lib/errors/service-error";
import { WILDCARD, type Permission } from "@/lib/permissions/catalog";
import { beyond, grants } from "@/lib/permissions/math";
import type { ActorContext } from "@/lib/context/actor";
import { enqueueKeyEvent, type QueueRef } from "@/lib/webhooks/account-events";
import { assertPublicUrl, UnsafeUrlError } from "@/lib/webhooks/url-safety";
import { encryptSecret } from "./encryption";
import { generateKey, generateSigningSecret } from "./format";
import { newKeyId } from "./ids";
import { assertActorMode, assertNoLooserThanActor } from "./restrictions";
import { keySpendToday, recountTodaySpend, type KeySpendToday } from "./spend";
import { invalidateKeyLocally, notifyKeyChanged } from "./verify";
import type { CreateKeyInput, UpdateKeyInput } from "./schemas";
import { EXPIRY_WARNING_MS, toKeyView, type KeyView } from "./view";

/**
 * The rules of keys, shared by the portal's server actions and the keys API.
 * Every function takes an already-authorized ActorContext: the workspace is the
 * actor's, and everything here is scoped to it. A key outside the workspace, or
 * beyond what the actor may see, is "not found" — never "forbidden".
 */

export type CreatedKey = { key: KeyView; secret: string; signingSecret: string | null };

/**
 * Keys the actor may see (docs/portal.md): members with a `*` ceiling see all of the
 * workspace, other members only keys within their ceiling. A key acting through
 * the keys API sees what its creator would see — a key acts with at most its
 * creator's rights — and only keys of its own mode; it may change only keys
 * within its own permissions (assertMayChange).
 */
function visibleTo(ctx: ActorContext): SQL {
  const inWorkspace = eq(apiKeys.workspaceId, ctx.workspaceId);
  if (ctx.actor.kind === "key") return and(inWorkspace, eq(apiKeys.mode, ctx.actor.mode), withinCeiling(ctx.actor.creatorCeiling))!;
  return and(inWorkspace, withinCeiling(ctx.ceiling))!;
}

/** Keys whose permissions sit within `ceiling` (all keys for a `*` ceiling). */
function withinCeiling(ceiling: readonly Permission[]): SQL | undefined {
  if (ceiling.includes(WILDCARD)) return undefined;
  const list = sql.join(
    ceiling.map((p) => sql`${p}`),
    sql`, `,
  );
  return sql`${apiKeys.permissions} <@ ARRAY[${list}]::text[]`;
}

function assertWithinCeiling(ctx: ActorContext, permissions: readonly Permission[]): void {
  const refused = beyond(permissions, ctx.ceiling);
  if (refused.length === 0) return;
  const message =
    refused[0] === WILDCARD
      ? "You cannot grant full access: it is beyond your own permissions"
      : `You cannot grant ${refused.join(", ")}: beyond your own permissions`;
  throw new ServiceError("FORBIDDEN", message, { permissions: message });
}

async function creatorOf(db: DbOrTx, userId: number | null) {
  if (userId === null) return null;
  const [user] = await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, userId));
  return user ?? null;
}

/** The key to change, locked for the transaction: visible to the actor and within what it may change. */
async function lockVisibleKey(tx: DbOrTx, ctx: ActorContext, id: string): Promise<ApiKeyRow> {
  const [row] = await tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), visibleTo(ctx)))
    .for("update");
  if (!row) throw notFound();
  assertMayChange(ctx, row);
  return row;
}

function assertMayChange(ctx: ActorContext, row: ApiKeyRow): void {
  if (beyond(row.permissions, ctx.ceiling).length > 0) {
    throw new ServiceError("FORBIDDEN", "This key cannot change a key with permissions beyond its own");
  }
}

function assertNotRevoked(row: ApiKeyRow): void {
  if (row.revokedAt) throw new ServiceError("CONFLICT", "This key is revoked and can no longer be changed");
}

/**
 * A key's postback URL receives its delivery events, recipients' numbers
 * included: through the API, pointing it somewhere takes webhooks.write as well
 * as keys.write. (People in the portal: their page right decides.)
 */
function assertMayRedirect(ctx: ActorContext): void {
  if (ctx.actor.kind === "key" && !grants(ctx.ceiling, "webhooks.write")) {
    throw new ServiceError("FORBIDDEN", "Setting postback_url needs the webhooks.write permission as well as keys.write");
  }
}

/** The SSRF guard when a postback URL is saved (and again at each delivery); the refusal names no resolved address. */
async function assertSafePostbackUrl(url: string): Promise<void> {
  try {
    await assertPublicUrl(url);
  } catch (error) {
    if (!(error instanceof UnsafeUrlError)) throw error;
    const message = `Postback URL refused: ${error.message.replace(/^refused: /, "")}`;
    throw new ServiceError("INVALID_INPUT", message, { postbackUrl: message });
  }
}

/** A change of postback URL (undefined: none asked for) is checked before the transaction: the check resolves names. */
async function checkPostbackChange(db: Db, ctx: ActorContext, id: string, url: string | null | undefined): Promise<void> {
  if (url === undefined) return;
  const [current] = await db
    .select({ postbackUrl: apiKeys.postbackUrl })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), visibleTo(ctx)));
  if (!current || current.postbackUrl === url) return;
  assertMayRedirect(ctx);
  if (url !== null) await assertSafePostbackUrl(url);
}

// ---------------------------------------------------------------------------
// Reading

export const KEY_SORTS = ["name", "createdAt", "lastUsedAt", "expiresAt"] as const;
export type KeySort = (typeof KEY_SORTS)[number];
export type ListKeysQuery = { page: number; pageSize: number; sort: KeySort; dir: "asc" | "desc"; q: string };
export type KeyPage = { rows: KeyView[]; total: number; page: number; pageSize: number; pageCount: number };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c);

/** A page of the workspace's keys, sorted and filtered by name in the database. */
export async function listKeys(db: Db, ctx: ActorContext, query: ListKeysQuery): Promise<KeyPage> {
  const filter = query.q.trim();
  const where = filter ? and(visibleTo(ctx), ilike(apiKeys.name, `%${escapeLike(filter)}%`))! : visibleTo(ctx);
  const column = { name: apiKeys.name, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, expiresAt: apiKeys.expiresAt }[
    query.sort
  ];
  const order = query.dir === "asc" ? sql`${column} asc nulls last` : sql`${column} desc nulls last`;

  const [[{ total }], rows] = await Promise.all([
    db.select({ total: count() }).from(apiKeys).where(where),
    db
      .select({ key: apiKeys, creator: { id: users.id, name: users.name } })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdBy))
      .where(where)
      .orderBy(order, desc(apiKeys.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
  ]);
  const now = Date.now();
  return {
    rows: rows.map((r) => toKeyView(r.key, r.creator?.id ? { id: r.creator.id, name: r.creator.name } : null, now)),
    total,
    page: query.page,
    pageSize: query.pageSize,
    pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
  };
}

/** How many keys the Dashboard lists at most (the keys page, sorted by expiry, has the rest). */
export const EXPIRING_KEYS_LIMIT = 10;

export type ExpiringKeys = { rows: (KeyView & { daysLeft: number })[]; total: number };

/**
 * The Dashboard's "Keys expiring within 7 days": active keys (enabled, not revoked)
 * whose expiry falls in the next 7 days, soonest first — through the same
 * visibility as the keys list (visibleTo), so a Developer or Billing member sees
 * only keys within their ceiling. `daysLeft` rounds up: 1 means within a day.
 */
export async function listExpiringKeys(db: Db, ctx: ActorContext, now = new Date()): Promise<ExpiringKeys> {
  const until = new Date(now.getTime() + EXPIRY_WARNING_MS);
  const where = and(
    visibleTo(ctx),
    isNull(apiKeys.revokedAt),
    eq(apiKeys.enabled, true),
    gt(apiKeys.expiresAt, now),
    lte(apiKeys.expiresAt, until),
  )!;
  const [[{ total }], rows] = await Promise.all([
    db.select({ total: count() }).from(apiKeys).where(where),
    db
      .select({ key: apiKeys, creator: { id: users.id, name: users.name } })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdBy))
      .where(where)
      .orderBy(asc(apiKeys.expiresAt), asc(apiKeys.id))
      .limit(EXPIRING_KEYS_LIMIT),
  ]);
  const day = 24 * 3600 * 1000;
  return {
    rows: rows.map((r) => ({
      ...toKeyView(r.key, r.creator?.id ? { id: r.creator.id, name: r.creator.name } : null, now.getTime()),
      daysLeft: Math.ceil((r.key.expiresAt!.getTime() - now.getTime()) / day),
    })),
    total,
  };
}

export async function getKey(db: Db, ctx: ActorContext, id: string): Promise<KeyView> {
  const [row] = await db
    .select({ key: apiKeys, creator: { id: users.id, name: users.name } })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(and(eq(apiKeys.id, id), visibleTo(ctx)));
  if (!row) throw notFound();
  return toKeyView(row.key, row.creator?.id ? { id: row.creator.id, name: row.creator.name } : null);
}

/** (ours) Today's spend (UTC) against the key's daily cap, for the key's page: a key the actor may see. */
export async function getKeySpendToday(db: Db, ctx: ActorContext, id: string): Promise<KeySpendToday> {
  await getKey(db, ctx, id);
  return keySpendToday(db, id);
}

export type KeyAuditEvent = {
  id: number;
  action: string;
  actor: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  address: string | null;
  createdAt: string;
};

export async function listKeyAudit(db: Db, ctx: ActorContext, id: string): Promise<KeyAuditEvent[]> {
  await getKey(db, ctx, id);
  const rows = await db
    .select({ event: auditEvents, actorName: users.name })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(eq(auditEvents.targetType, "api_key"), eq(auditEvents.targetId, id), eq(auditEvents.workspaceId, ctx.workspaceId)))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(200);
  return rows.map(({ event, actorName }) => ({
    id: event.id,
    action: event.action,
    actor: actorName ?? (event.actorKeyId ? `API key ${event.actorKeyId}` : "Unknown"),
    changes: event.changes,
    address: event.address,
    createdAt: event.createdAt.toISOString(),
  }));
}

// ---------------------------------------------------------------------------
// Changing

export async function createKey(db: Db, ctx: ActorContext, given: CreateKeyInput): Promise<CreatedKey> {
  const input = { ...given, dailySpendCap: given.dailySpendCap ?? null, allowedCountries: given.allowedCountries ?? [] };
  assertWithinCeiling(ctx, input.permissions);
  assertActorMode(ctx, input.mode);
  assertNoLooserThanActor(ctx, input, "create a key");
  if (input.postbackUrl !== null) {
    assertMayRedirect(ctx);
    await assertSafePostbackUrl(input.postbackUrl);
  }
  const id = newKeyId();
  const generated = generateKey(input.mode);
  const signingSecret = input.hmac ? generateSigningSecret() : null;
  const createdBy = ctx.actor.kind === "user" ? ctx.actor.userId : ctx.actor.createdBy;

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id,
        workspaceId: ctx.workspaceId,
        name: input.name,
        mode: input.mode,
        hash: generated.hash,
        hashVersion: generated.hashVersion,
        start: generated.start,
        last4: generated.last4,
        permissions: input.permissions,
        hmac: input.hmac,
        signingSecretEncrypted: signingSecret ? encryptSecret(signingSecret, id) : null,
        offTheRecord: input.offTheRecord,
        allowedCidrs: input.allowedCidrs,
        postbackUrl: input.postbackUrl,
        expiresAt: input.expiresAt,
        dailySpendCap: input.dailySpendCap,
        allowedCountries: input.allowedCountries,
        createdBy,
        parentKeyId: ctx.actor.kind === "key" ? ctx.actor.keyId : null,
      })
      .returning();
    const { name, mode, permissions, hmac, offTheRecord, allowedCidrs, postbackUrl, expiresAt, dailySpendCap, allowedCountries } = row;
    await recordAudit(tx, ctx, {
      action: "key.create",
      targetType: "api_key",
      targetId: id,
      changes: diff(
        {},
        { name, mode, permissions, hmac, offTheRecord, allowedCidrs, postbackUrl, expiresAt, dailySpendCap, allowedCountries },
      ),
    });
    return { key: toKeyView(row, await creatorOf(tx, createdBy)), secret: generated.secret, signingSecret };
  });
}

export async function updateKey(db: Db, ctx: ActorContext, id: string, input: UpdateKeyInput): Promise<KeyView> {
  if (input.permissions) assertWithinCeiling(ctx, input.permissions);
  // Itself included: a key may not loosen its own restrictions.
  assertNoLooserThanActor(ctx, input, "change a key");
  await checkPostbackChange(db, ctx, id, input.postbackUrl);
  return db
    .transaction(async (tx) => {
      const row = await lockVisibleKey(tx, ctx, id);
      assertNotRevoked(row);
      // Again under the lock: the URL may have changed since it was compared.
      if (input.postbackUrl !== undefined && input.postbackUrl !== row.postbackUrl) assertMayRedirect(ctx);
      const changes = diff(row, input);
      if (Object.keys(changes).length === 0) return toKeyView(row, await creatorOf(tx, row.createdBy));
      const [updated] = await tx
        .update(apiKeys)
        .set({ ...input, updatedAt: new Date() })
        .where(eq(apiKeys.id, id))
        .returning();
      const onlyEnabled = Object.keys(changes).length === 1 && "enabled" in changes;
      const action = onlyEnabled ? (input.enabled ? "key.enable" : "key.disable") : "key.update";
      // A cap set on a key that had none counts the whole day, not only what follows (lib/keys/spend.ts).
      if (row.dailySpendCap === null && updated.dailySpendCap !== null) await recountTodaySpend(tx, updated);
      await recordAudit(tx, ctx, { action, targetType: "api_key", targetId: id, changes });
      await notifyKeyChanged(tx, id);
      return toKeyView(updated, await creatorOf(tx, updated.createdBy));
    })
    .finally(() => invalidateKeyLocally(id));
}

export function setKeyEnabled(db: Db, ctx: ActorContext, id: string, enabled: boolean): Promise<KeyView> {
  return updateKey(db, ctx, id, { enabled });
}

/**
 * A new secret for the same key. The old secret (and, for HMAC keys, the old
 * signing secret) keeps working for `graceSeconds`, then stops; 0 stops it now.
 * Rolling again during a grace period ends the earlier grace at once.
 * With the job queue (the API and the portal pass it), the key.rolled event is
 * enqueued in the same transaction, when its mode's webhook settings subscribe.
 */
export async function rollKey(db: Db, ctx: ActorContext, id: string, graceSeconds: number, queue?: QueueRef): Promise<CreatedKey> {
  return db
    .transaction(async (tx) => {
      const row = await lockVisibleKey(tx, ctx, id);
      assertNotRevoked(row);
      // The new secret goes to the caller: a key may take over only keys at least as restricted as itself.
      assertNoLooserThanActor(ctx, row, "roll a key");
      const generated = generateKey(row.mode);
      const signingSecret = row.hmac ? generateSigningSecret() : null;
      const graceEnds = graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null;
      const [updated] = await tx
        .update(apiKeys)
        .set({
          hash: generated.hash,
          hashVersion: generated.hashVersion,
          start: generated.start,
          last4: generated.last4,
          previousHash: graceEnds ? row.hash : null,
          previousExpiresAt: graceEnds,
          signingSecretEncrypted: signingSecret ? encryptSecret(signingSecret, id) : null,
          previousSigningSecretEncrypted: graceEnds ? row.signingSecretEncrypted : null,
          updatedAt: new Date(),
        })
        .where(eq(apiKeys.id, id))
        .returning();
      await recordAudit(tx, ctx, {
        action: "key.roll",
        targetType: "api_key",
        targetId: id,
        changes: {
          start: { before: row.start, after: updated.start },
          last4: { before: row.last4, after: updated.last4 },
          previousSecretExpiresAt: { before: null, after: graceEnds?.toISOString() ?? null },
        },
      });
      if (queue) await enqueueKeyEvent(tx, queue, updated, "key.rolled", { previous_secret_expires_at: graceEnds?.toISOString() ?? null });
      await notifyKeyChanged(tx, id);
      return { key: toKeyView(updated, await creatorOf(tx, updated.createdBy)), secret: generated.secret, signingSecret };
    })
    .finally(() => invalidateKeyLocally(id));
}

/**
 * Revoked keys stop working at once and stay listed; revoking is final. The
 * keys this key created through the API, and theirs, are revoked with it in the
 * same transaction: a child never outlives its parent. With the job queue, a
 * key.revoked event for each of them is enqueued in that transaction too.
 */
export async function revokeKey(db: Db, ctx: ActorContext, id: string, queue?: QueueRef): Promise<KeyView> {
  const revoked: string[] = [id];
  return db
    .transaction(async (tx) => {
      const row = await lockVisibleKey(tx, ctx, id);
      assertNotRevoked(row);
      const now = new Date();
      const revocation = {
        revokedAt: now,
        previousHash: null,
        previousExpiresAt: null,
        previousSigningSecretEncrypted: null,
        updatedAt: now,
      };
      const [updated] = await tx.update(apiKeys).set(revocation).where(eq(apiKeys.id, id)).returning();
      await recordAudit(tx, ctx, {
        action: "key.revoke",
        targetType: "api_key",
        targetId: id,
        changes: { revokedAt: { before: null, after: now.toISOString() } },
      });
      if (queue) await enqueueKeyEvent(tx, queue, updated, "key.revoked", { revoked_at: now.toISOString(), revoked_with: null });
      await notifyKeyChanged(tx, id);

      const descendants = sql`(
        with recursive tree(id) as (
          select ${apiKeys.id} from ${apiKeys} where ${apiKeys.parentKeyId} = ${id}
          union
          select child.id from ${apiKeys} child join tree on child.parent_key_id = tree.id
        )
        select id from tree
      )`;
      const children = await tx
        .update(apiKeys)
        .set(revocation)
        .where(and(inArray(apiKeys.id, descendants), isNull(apiKeys.revokedAt)))
        .returning();
      for (const child of children) {
        revoked.push(child.id);
        await recordAudit(tx, ctx, {
          action: "key.revoke",
          targetType: "api_key",
          targetId: child.id,
          changes: { revokedAt: { before: null, after: now.toISOString() }, revokedWith: { before: null, after: id } },
        });
        if (queue) await enqueueKeyEvent(tx, queue, child, "key.revoked", { revoked_at: now.toISOString(), revoked_with: id });
        await notifyKeyChanged(tx, child.id);
      }
      return toKeyView(updated, await creatorOf(tx, updated.createdBy));
    })
    .finally(() => revoked.forEach(invalidateKeyLocally));
}
