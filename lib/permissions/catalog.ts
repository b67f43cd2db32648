/**
 * The one permission catalog. Every other place (zod enums, the guard, the picker,
 * presets, role ceilings, the database CHECK constraint) derives from these lists.
 * Adding a permission here means: a migration for the CHECK constraint on
 * api_keys.permissions, and nothing else by hand.
 */

export const RESOURCES = [
  { resource: "sms", label: "SMS" },
  { resource: "balance", label: "Balance" },
  { resource: "pricing", label: "Pricing" },
  { resource: "payments", label: "Payments" },
  { resource: "webhooks", label: "Webhooks" },
  { resource: "keys", label: "API keys" },
] as const;

export type Resource = (typeof RESOURCES)[number]["resource"];
export type Level = "read" | "write";

export const PERMISSION_TABLE = [
  { permission: "sms.send", resource: "sms", level: "write", description: "Send messages (POST /sms/send)" },
  {
    permission: "sms.read",
    resource: "sms",
    level: "read",
    description: "Read message status, history, statistics and exports (GET /sms/*)",
  },
  { permission: "balance.read", resource: "balance", level: "read", description: "Read the balance (GET /user/balance)" },
  { permission: "pricing.read", resource: "pricing", level: "read", description: "Read the pricing table (GET/POST /user/pricing)" },
  { permission: "payments.read", resource: "payments", level: "read", description: "Read payments (GET /user/payments)" },
  { permission: "webhooks.read", resource: "webhooks", level: "read", description: "Read webhook settings and delivery logs" },
  { permission: "webhooks.write", resource: "webhooks", level: "write", description: "Change webhook settings and send test events" },
  { permission: "keys.read", resource: "keys", level: "read", description: "List and read API keys (never their secrets)" },
  { permission: "keys.write", resource: "keys", level: "write", description: "Create, edit, roll and revoke API keys" },
] as const satisfies ReadonlyArray<{ permission: string; resource: Resource; level: Level; description: string }>;

export type NamedPermission = (typeof PERMISSION_TABLE)[number]["permission"];
export const WILDCARD = "*" as const;
export type Permission = NamedPermission | typeof WILDCARD;

export const NAMED_PERMISSIONS = PERMISSION_TABLE.map((p) => p.permission) as [NamedPermission, ...NamedPermission[]];
export const ALL_PERMISSIONS = [WILDCARD, ...NAMED_PERMISSIONS] as [Permission, ...Permission[]];

export function describePermission(permission: Permission): string {
  if (permission === WILDCARD) return "Everything, including permissions added later";
  return PERMISSION_TABLE.find((p) => p.permission === permission)!.description;
}

export function permissionsOf(resource: Resource): (typeof PERMISSION_TABLE)[number][] {
  return PERMISSION_TABLE.filter((p) => p.resource === resource);
}

export const PRESETS = [
  { id: "send-track", label: "Send + track delivery", permissions: ["sms.send", "sms.read"] },
  { id: "send-only", label: "Send only", permissions: ["sms.send"] },
  { id: "monitoring", label: "Dashboard / monitoring", permissions: ["sms.read", "balance.read"] },
  { id: "webhooks", label: "Webhook management", permissions: ["webhooks.read", "webhooks.write"] },
  { id: "full-api", label: "Full API access", permissions: NAMED_PERMISSIONS },
] as const satisfies ReadonlyArray<{ id: string; label: string; permissions: readonly NamedPermission[] }>;

export const ROLES = ["owner", "admin", "developer", "billing", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  billing: "Billing",
  viewer: "Viewer",
};

/** The most a member of each role may put on a key (docs/portal.md, roles table). */
export const ROLE_CEILINGS: Record<Role, readonly Permission[]> = {
  owner: [WILDCARD],
  admin: [WILDCARD],
  developer: ["sms.send", "sms.read", "webhooks.read", "webhooks.write", "keys.read"],
  billing: ["balance.read", "pricing.read", "payments.read"],
  viewer: [],
};

/**
 * Portal rights per role, beyond key permissions: who may open which page and
 * do what there (docs/portal.md, roles table). Pages a role may not open are
 * "not found" and absent from the navigation.
 */
export const PORTAL_RIGHTS = {
  /** Messages and Statistics: the traffic of the workspace (read-only; a Viewer too). */
  "traffic.page": ["owner", "admin", "developer", "viewer"],
  "keys.page": ["owner", "admin", "developer", "billing"],
  /** "Send a test message" on the Dashboard, in test mode (the sandbox: nothing billed, nothing delivered). */
  "messages.send": ["owner", "admin", "developer"],
  /** The composer's live mode: a real send, billed to the workspace (Owners and Admins, who answer for its money). */
  "messages.send_live": ["owner", "admin"],
  /** The Webhooks page: read by every role that sees traffic; a Viewer cannot change anything there. */
  "webhooks.page": ["owner", "admin", "developer", "viewer"],
  /** Save settings, set or clear the signing secret, "Send test". */
  "webhooks.manage": ["owner", "admin", "developer"],
  /** The Billing page: balance, payments, prices (a Developer's role carries no money rights). */
  "billing.page": ["owner", "admin", "billing", "viewer"],
  /** Settings on the Billing page, such as the low balance alert. */
  "billing.manage": ["owner", "admin", "billing"],
  /** "Top up": only the people who pay (issue 11: Owner and Billing). */
  "billing.topup": ["owner", "billing"],
  "members.manage": ["owner", "admin"],
  /** The Audit log page: every change in the organization, with addresses (Owner and Admin). */
  "audit.page": ["owner", "admin"],
  "workspace.settings": ["owner", "admin"],
  /** Create, rename and archive the organization's workspaces. */
  "workspaces.manage": ["owner", "admin"],
} as const satisfies Record<string, readonly Role[]>;
export type PortalRight = keyof typeof PORTAL_RIGHTS;

/**
 * Rights that act on the organization (its people, workspaces, audit log), not on
 * the current workspace's data: they keep working while an archived workspace is
 * current. Every other right's actions are refused there (its data is read-only).
 */
export const ORGANIZATION_RIGHTS: readonly PortalRight[] = ["members.manage", "workspaces.manage", "audit.page"];

export function hasPortalRight(role: Role, right: PortalRight): boolean {
  return (PORTAL_RIGHTS[right] as readonly Role[]).includes(role);
}
