import type { Permission, Role } from "@/lib/permissions/catalog";

/** Who is acting: a signed-in member, or (keys API) an API key. */
export type Actor = { kind: "user"; userId: number; role: Role } | { kind: "key"; keyId: string };

/**
 * What every service function receives: the workspace it acts in (already
 * authorized), the actor, the most the actor may grant, and the client address
 * for the audit log.
 */
export type ActorContext = {
  workspaceId: number;
  organizationId: number;
  actor: Actor;
  ceiling: readonly Permission[];
  address: string | null;
};
