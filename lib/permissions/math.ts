import {
  NAMED_PERMISSIONS,
  PERMISSION_TABLE,
  RESOURCES,
  ROLE_CEILINGS,
  WILDCARD,
  type Level,
  type NamedPermission,
  type Permission,
  type Resource,
  type Role,
} from "./catalog";

/** Expands `*` to every named permission; keeps order of the catalog; drops duplicates. */
export function expand(permissions: readonly Permission[]): NamedPermission[] {
  if (permissions.includes(WILDCARD)) return [...NAMED_PERMISSIONS];
  return NAMED_PERMISSIONS.filter((p) => permissions.includes(p));
}

/** Does this set grant `needed`? `*` grants everything. */
export function grants(held: readonly Permission[], needed: NamedPermission): boolean {
  return held.includes(WILDCARD) || held.includes(needed);
}

/**
 * Is every permission of `wanted` within `ceiling`? `*` wanted needs `*` held:
 * a wildcard also grants permissions added later, which a list never does.
 */
export function isWithin(wanted: readonly Permission[], ceiling: readonly Permission[]): boolean {
  if (ceiling.includes(WILDCARD)) return true;
  return wanted.every((p) => p !== WILDCARD && ceiling.includes(p));
}

/** The permissions of `wanted` that `ceiling` does not cover. */
export function beyond(wanted: readonly Permission[], ceiling: readonly Permission[]): Permission[] {
  if (ceiling.includes(WILDCARD)) return [];
  return wanted.filter((p) => p === WILDCARD || !ceiling.includes(p));
}

/** Effective rights of a key: the creator's ceiling ∩ the key's permissions. */
export function effective(keyPermissions: readonly Permission[], ceiling: readonly Permission[]): Permission[] {
  if (ceiling.includes(WILDCARD)) return [...keyPermissions];
  if (keyPermissions.includes(WILDCARD)) return [...ceiling];
  return keyPermissions.filter((p) => ceiling.includes(p));
}

export function ceilingOf(role: Role): readonly Permission[] {
  return ROLE_CEILINGS[role];
}

export type ResourceLevel = "none" | Level;

/** The level a resource has in a permission set: write if its write permission is in, else read, else none. */
export function levelOf(permissions: readonly Permission[], resource: Resource): ResourceLevel {
  const granted = PERMISSION_TABLE.filter((p) => p.resource === resource && grants(permissions, p.permission));
  if (granted.some((p) => p.level === "write")) return "write";
  if (granted.some((p) => p.level === "read")) return "read";
  return "none";
}

/** The permissions one level means for a resource: write includes read. */
export function permissionsForLevel(resource: Resource, level: ResourceLevel): NamedPermission[] {
  if (level === "none") return [];
  return PERMISSION_TABLE.filter((p) => p.resource === resource && (level === "write" || p.level === "read")).map((p) => p.permission);
}

/** Which levels a resource offers: every resource has read; write only where a write permission exists. */
export function levelsOf(resource: Resource): ResourceLevel[] {
  const hasWrite = PERMISSION_TABLE.some((p) => p.resource === resource && p.level === "write");
  return hasWrite ? ["none", "read", "write"] : ["none", "read"];
}

/** Replaces one resource's permissions in a set with those of `level`, keeping catalog order. */
export function withLevel(permissions: readonly Permission[], resource: Resource, level: ResourceLevel): NamedPermission[] {
  const others = expand(permissions).filter((p) => PERMISSION_TABLE.find((e) => e.permission === p)!.resource !== resource);
  const next = new Set<NamedPermission>([...others, ...permissionsForLevel(resource, level)]);
  return NAMED_PERMISSIONS.filter((p) => next.has(p));
}

/** "Full access" for `*`, else "Restricted (n)". */
export function summarize(permissions: readonly Permission[]): string {
  if (permissions.includes(WILDCARD)) return "Full access";
  return `Restricted (${permissions.length})`;
}

/** Why a permission cannot be picked by someone with this ceiling, or null when it can. */
export function disabledReason(permission: Permission, role: Role): string | null {
  if (isWithin([permission], ceilingOf(role))) return null;
  const roleName = role.charAt(0).toUpperCase() + role.slice(1);
  return permission === WILDCARD
    ? `Only Owners and Admins can create full-access keys`
    : `Your role (${roleName}) does not include ${permission}`;
}

export const RESOURCE_ORDER = RESOURCES.map((r) => r.resource);
