import { and, count, desc, eq, ilike, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { apiKeys, auditEvents, users, type ApiKeyRow } from "@/db/schema";
import { diff, recordAudit } from "@/lib/audit/record";
import { ServiceError, notFound } from "@/lib/errors/service-error";
import { WILDCARD, type Permission } from "@/lib/permissions/catalog";
import { beyond } from "@/lib/permissions/math";
import type { ActorContext } from "@/lib/context/actor";
import { encryptSecret } from "./encryption";
import { generateKey, generateSigningSecret } from "./format";
import { newKeyId } from "./ids";
import { invalidateKeyLocally, notifyKeyChanged } from "./verify";
import type { CreateKeyInput, UpdateKeyInput } from "./schemas";
import { toKeyView, type KeyView } from "./view";

/**
 * The rules of keys, shared by the portal's server actions and the keys API.
 * Every function takes an already-authorized ActorContext: the workspace is the
 * actor's, and everything here is scoped to it. A key outside the workspace, or
 * beyond what the actor may see, is "not found" — never "forbidden".
 */

export type CreatedKey = { key: KeyView; secret: string; signingSecret: string | null };

/**
 * Keys the actor may see: members with a `*` ceiling see all of the workspace,
 * other members only keys within their ceiling (docs/portal.md). A key acting through
 * the keys API lists all of its workspace's keys (docs/api-v1.md §7) but may change only
 * keys within its own permissions (assertMayChange).
 */
function visibleTo(ctx: ActorContext): SQL {
  const inWorkspace = eq(apiKeys.workspaceId, ctx.workspaceId);
  if (ctx.ceiling.includes(WILDCARD) || ctx.actor.kind === "key") return inWorkspace;
  const ceiling = sql.join(
    ctx.ceiling.map((p) => sql`${p}`),
    sql`, `,
  );
  return and(inWorkspace, sql`${apiKeys.permissions} <@ ARRAY[${ceiling}]::text[]`)!;
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

export async function getKey(db: Db, ctx: ActorContext, id: string): Promise<KeyView> {
  const [row] = await db
    .select({ key: apiKeys, creator: { id: users.id, name: users.name } })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(and(eq(apiKeys.id, id), visibleTo(ctx)));
  if (!row) throw notFound();
  return toKeyView(row.key, row.creator?.id ? { id: row.creator.id, name: row.creator.name } : null);
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

export async function createKey(db: Db, ctx: ActorContext, input: CreateKeyInput): Promise<CreatedKey> {
  assertWithinCeiling(ctx, input.permissions);
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
        createdBy,
      })
      .returning();
    const { name, mode, permissions, hmac, offTheRecord, allowedCidrs, postbackUrl, expiresAt } = row;
    await recordAudit(tx, ctx, {
      action: "key.create",
      targetType: "api_key",
      targetId: id,
      changes: diff({}, { name, mode, permissions, hmac, offTheRecord, allowedCidrs, postbackUrl, expiresAt }),
    });
    return { key: toKeyView(row, await creatorOf(tx, createdBy)), secret: generated.secret, signingSecret };
  });
}

export async function updateKey(db: Db, ctx: ActorContext, id: string, input: UpdateKeyInput): Promise<KeyView> {
  if (input.permissions) assertWithinCeiling(ctx, input.permissions);
  return db
    .transaction(async (tx) => {
      const row = await lockVisibleKey(tx, ctx, id);
      assertNotRevoked(row);
      const changes = diff(row, input);
      if (Object.keys(changes).length === 0) return toKeyView(row, await creatorOf(tx, row.createdBy));
      const [updated] = await tx
        .update(apiKeys)
        .set({ ...input, updatedAt: new Date() })
        .where(eq(apiKeys.id, id))
        .returning();
      const onlyEnabled = Object.keys(changes).length === 1 && "enabled" in changes;
      const action = onlyEnabled ? (input.enabled ? "key.enable" : "key.disable") : "key.update";
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
 */
export async function rollKey(db: Db, ctx: ActorContext, id: string, graceSeconds: number): Promise<CreatedKey> {
  return db
    .transaction(async (tx) => {
      const row = await lockVisibleKey(tx, ctx, id);
      assertNotRevoked(row);
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
      await notifyKeyChanged(tx, id);
      return { key: toKeyView(updated, await creatorOf(tx, updated.createdBy)), secret: generated.secret, signingSecret };
    })
    .finally(() => invalidateKeyLocally(id));
}

/** Revoked keys stop working at once and stay listed; revoking is final. */
export async function revokeKey(db: Db, ctx: ActorContext, id: string): Promise<KeyView> {
  return db
    .transaction(async (tx) => {
      const row = await lockVisibleKey(tx, ctx, id);
      assertNotRevoked(row);
      const now = new Date();
      const [updated] = await tx
        .update(apiKeys)
        .set({ revokedAt: now, previousHash: null, previousExpiresAt: null, previousSigningSecretEncrypted: null, updatedAt: now })
        .where(eq(apiKeys.id, id))
        .returning();
      await recordAudit(tx, ctx, {
        action: "key.revoke",
        targetType: "api_key",
        targetId: id,
        changes: { revokedAt: { before: null, after: now.toISOString() } },
      });
      await notifyKeyChanged(tx, id);
      return toKeyView(updated, await creatorOf(tx, updated.createdBy));
    })
    .finally(() => invalidateKeyLocally(id));
}
