import type { DbOrTx } from "@/db";
import { auditEvents, type AuditChanges } from "@/db/schema";
import type { ActorContext } from "@/lib/context/actor";
import { AUDIT_ACTIONS, type AuditAction } from "./actions";

/**
 * One audit event: an action of the catalog (lib/audit/actions.ts) with the
 * target type the catalog gives it — anything else is a compile error.
 */
export type AuditEntry = {
  [A in AuditAction]: {
    action: A;
    targetType: (typeof AUDIT_ACTIONS)[A]["target"];
    targetId: string;
    /** Only non-secret fields, as { field: { before, after } }. */
    changes?: AuditChanges;
  };
}[AuditAction];

/** Where an event belongs and who caused it, for events outside a workspace's context (sign-ins). */
export type AuditScope = {
  organizationId: number;
  workspaceId: number | null;
  actorUserId: number | null;
  actorKeyId: string | null;
  address: string | null;
};

/** Writes one audit event; call it inside the transaction of the change it records. */
export async function recordAudit(tx: DbOrTx, ctx: ActorContext, entry: AuditEntry): Promise<void> {
  await recordAuditIn(tx, scopeOf(ctx), entry);
}

/** Writes one audit event for an explicit scope (no ActorContext: a sign-in, before there is a session). */
export async function recordAuditIn(tx: DbOrTx, scope: AuditScope, entry: AuditEntry): Promise<void> {
  if (AUDIT_ACTIONS[entry.action]?.target !== entry.targetType) {
    throw new Error(`Audit action ${entry.action} is not in lib/audit/actions.ts with target ${entry.targetType}`);
  }
  await tx.insert(auditEvents).values({
    organizationId: scope.organizationId,
    workspaceId: scope.workspaceId,
    actorUserId: scope.actorUserId,
    actorKeyId: scope.actorKeyId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    changes: entry.changes ?? {},
    address: scope.address,
  });
}

function scopeOf(ctx: ActorContext): AuditScope {
  return {
    organizationId: ctx.organizationId,
    workspaceId: ctx.workspaceId,
    actorUserId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    actorKeyId: ctx.actor.kind === "key" ? ctx.actor.keyId : null,
    address: ctx.address,
  };
}

/** The fields that differ between before and after, as { field: { before, after } }. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): AuditChanges {
  const changes: AuditChanges = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const was = before[field];
    if (JSON.stringify(normalize(was)) !== JSON.stringify(normalize(value))) {
      changes[field] = { before: normalize(was), after: normalize(value) };
    }
  }
  return changes;
}

const normalize = (v: unknown) => (v instanceof Date ? v.toISOString() : (v ?? null));
