import type { Permission, Role } from "@/lib/permissions/catalog";

/** Who is acting: a signed-in member, or (keys API) an API key. */
export type Actor =
  | { kind: "user"; userId: number; role: Role }
  // A key acting through the keys API; keys it creates are credited to its own creator.
  | { kind: "key"; keyId: string; createdBy: number | null };

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
