import { ROLE_LABELS, ROLES, type Role } from "@/lib/permissions/catalog";

/**
 * Who may hand out, change and take away which role (issue 12, docs/portal.md):
 * nobody grants a role above their own; only an Owner makes or removes an
 * Owner; the last Owner can neither leave nor be demoted (checked against the
 * database, under a lock, by ./members.ts). Developer and Billing sit side by
 * side: neither is above the other.
 */
const RANK: Record<Role, number> = { owner: 4, admin: 3, developer: 2, billing: 2, viewer: 1 };

/** May someone with role `actor` give role `role` (invite with it, or change a member to it)? */
export function mayGrant(actor: Role, role: Role): boolean {
  if (role === "owner") return actor === "owner";
  return RANK[role] <= RANK[actor];
}

/** Why `actor` may not give `role`, or null when they may. */
export function grantRefusal(actor: Role, role: Role): string | null {
  if (mayGrant(actor, role)) return null;
  if (role === "owner") return "Only an Owner can make someone an Owner.";
  return `You cannot grant the ${ROLE_LABELS[role]} role: it is above your own.`;
}

/** Why `actor` may not change or remove a member who holds `current`, or null when they may. */
export function manageRefusal(actor: Role, current: Role): string | null {
  if (current === "owner" && actor !== "owner") return "Only an Owner can change or remove an Owner.";
  if (RANK[current] > RANK[actor]) return "You cannot change a member whose role is above your own.";
  return null;
}

/** The roles `actor` may hand out, in the catalog's order (the Role pickers). */
export function grantableRoles(actor: Role): Role[] {
  return ROLES.filter((role) => mayGrant(actor, role));
}
