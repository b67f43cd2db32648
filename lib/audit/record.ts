import type { DbOrTx } from "@/db";
import { auditEvents, type AuditChanges } from "@/db/schema";
import type { ActorContext } from "@/lib/context/actor";

export type AuditEntry = {
  action: string;
  targetType: "api_key" | "workspace" | "member" | "user" | "organization" | "invitation";
  targetId: string;
  changes?: AuditChanges;
};

/** Writes one audit event; call it inside the transaction of the change it records. */
export async function recordAudit(tx: DbOrTx, ctx: ActorContext, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    organizationId: ctx.organizationId,
    workspaceId: ctx.workspaceId,
    actorUserId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    actorKeyId: ctx.actor.kind === "key" ? ctx.actor.keyId : null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    changes: entry.changes ?? {},
    address: ctx.address,
  });
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
