/**
 * The one catalog of audit actions. recordAudit accepts only an action listed
 * here, with the target type listed for it (a compile error otherwise), and the
 * Audit log page takes its "Action" filter and labels from it.
 *
 * Adding an audited mutation: add its action here, call recordAudit inside the
 * mutation's transaction, and add a case for the function in
 * tests/audit-mutations.ts (lib/audit/completeness.test.ts fails until you do).
 */

export const AUDIT_TARGET_TYPES = ["api_key", "workspace", "member", "user", "organization", "invitation"] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export const AUDIT_TARGET_LABELS: Record<AuditTargetType, string> = {
  api_key: "API key",
  workspace: "Workspace",
  member: "Member",
  user: "Person",
  organization: "Organization",
  invitation: "Invitation",
};

export const AUDIT_ACTIONS = {
  "key.create": { target: "api_key", label: "Key created" },
  "key.update": { target: "api_key", label: "Key changed" },
  "key.enable": { target: "api_key", label: "Key enabled" },
  "key.disable": { target: "api_key", label: "Key disabled" },
  "key.roll": { target: "api_key", label: "Key rolled" },
  "key.revoke": { target: "api_key", label: "Key revoked" },
  "workspace.update": { target: "workspace", label: "Workspace settings changed" },
  "webhooks.update": { target: "workspace", label: "Webhook settings changed (live)" },
  "webhooks.update_test": { target: "workspace", label: "Webhook settings changed (test)" },
  "workspace.create": { target: "workspace", label: "Workspace created" },
  "workspace.rename": { target: "workspace", label: "Workspace renamed" },
  "workspace.archive": { target: "workspace", label: "Workspace archived" },
  "organization.create": { target: "organization", label: "Organization created" },
  "organization.update": { target: "organization", label: "Organization settings changed" },
  "member.invited": { target: "invitation", label: "Member invited" },
  "member.invitation_revoked": { target: "invitation", label: "Invitation revoked" },
  "member.joined": { target: "member", label: "Member joined" },
  "member.role_changed": { target: "member", label: "Member's role changed" },
  "member.removed": { target: "member", label: "Member removed" },
  "account.update": { target: "user", label: "Account changed" },
  "account.password_change": { target: "user", label: "Password changed" },
  "account.sign_out_everywhere": { target: "user", label: "Signed out everywhere" },
  "account.two_factor_setup": { target: "user", label: "Two-factor setup started" },
  "account.two_factor_setup_cancel": { target: "user", label: "Two-factor setup cancelled" },
  "account.two_factor_enable": { target: "user", label: "Two-factor sign-in turned on" },
  "account.two_factor_disable": { target: "user", label: "Two-factor sign-in turned off" },
  "account.recovery_codes_regenerate": { target: "user", label: "Recovery codes regenerated" },
  "billing.top_up": { target: "workspace", label: "Balance topped up" },
  "billing.low_balance_alert": { target: "workspace", label: "Low balance alert changed" },
  "sms.portal_send": { target: "workspace", label: "Message sent from the portal" },
  "auth.sign_in": { target: "member", label: "Signed in" },
  "auth.sign_in_failed": { target: "member", label: "Failed sign-in" },
} as const satisfies Record<string, { target: AuditTargetType; label: string }>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

/** The words for an action; an action no longer in the catalog (older rows) shows as stored. */
export function auditActionLabel(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action].label : action;
}

export function auditTargetLabel(targetType: string): string {
  return (AUDIT_TARGET_LABELS as Record<string, string>)[targetType] ?? targetType;
}
