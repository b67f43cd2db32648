/**
 * The register of service mutations for lib/audit/completeness.test.ts.
 *
 * Every exported function the scan (tests/audit-scan.ts) finds — it takes an
 * ActorContext/PortalContext and writes, or it writes audit events — needs an
 * entry here under its id ("lib/<folder>/<file>.ts#<function>"):
 *
 * - in MUTATION_CASES: one or more cases, each calling the function once with a
 *   valid input that changes something, and the audit action it must write
 *   (exactly one event, of that action, with no secret in it); `prepare` sets up
 *   what the call needs and may write events of its own (not counted);
 * - or in NOT_AUDITED, with the reason it writes no audit event.
 *
 * Each case runs once, in order, against one seeded database shared by all of
 * them (Acme, its Owner acting in the main workspace unless the case says
 * otherwise): create what you change in `prepare` rather than relying on
 * another case's leftovers.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import type { Database } from "@/db/client";
import { memberships, users } from "@/db/schema";
import type { DemoSeed } from "@/db/seed";
import type { AuditAction } from "@/lib/audit/actions";
import { changePassword, signOutEverywhere, updateAccountName } from "@/lib/auth/account";
import { hashPassword } from "@/lib/auth/password";
import { signInWithPassword, signInWithSecondFactor } from "@/lib/auth/sign-in";
import { signUp } from "@/lib/auth/sign-up";
import { totpCodeAt } from "@/lib/auth/totp";
import {
  confirmTwoFactorSetup,
  getTwoFactorView,
  regenerateRecoveryCodes,
  setTwoFactorRequirement,
  startTwoFactorSetup,
  turnOffTwoFactor,
} from "@/lib/auth/two-factor";
import { issueTwoFactorChallenge } from "@/lib/auth/two-factor-challenge";
import { setLowBalanceAlert, topUp } from "@/lib/billing/top-up";
import { createKey, revokeKey, rollKey, setKeyEnabled, updateKey } from "@/lib/keys/service";
import type { CreateKeyInput } from "@/lib/keys/schemas";
import type { Role } from "@/lib/permissions/catalog";
import { signUpAction } from "@/lib/portal/sign-up";
import { acceptInvitation, createInvitation, revokeInvitation } from "@/lib/team/invitations";
import { changeMemberRole, removeMember } from "@/lib/team/members";
import { webhookFormSchema, type WebhookFormInput } from "@/lib/webhooks/form-schema";
import { clearWebhookSigningSecret, saveWebhookForm } from "@/lib/webhooks/form-service";
import { updateWebhookSettings } from "@/lib/webhooks/settings";
import { contextFor, type PortalContext } from "@/lib/workspaces/context";
import { archiveWorkspace, createWorkspace, renameWorkspace } from "@/lib/workspaces/manage";
import { updateWorkspaceSettings } from "@/lib/workspaces/settings";
import { createJobs } from "@/lib/runtime/jobs";
import { composeSendSchema } from "@/lib/sms/compose";
import { sendFromPortal } from "@/lib/sms/portal-send";
import { TEST_PASSWORD } from "@/tests/db";

export type MutationHarness = {
  db: Db;
  /** The database handle (for a queue: pg-boss runs on it). */
  database: Database;
  seed: DemoSeed;
  /** The Owner of Acme in its main workspace, from 203.0.113.7. */
  owner: PortalContext;
  /** A context for any seeded role in the main workspace. */
  as(role: keyof DemoSeed["userIds"]): Promise<PortalContext>;
};

export type MutationCase = {
  /** What the case does, for the test's name. */
  name: string;
  /** The one action the call must write. */
  action: AuditAction;
  /** Strings that must never appear in the event (passwords, secrets given in the input). Secrets the call returns are checked anyway. */
  secrets?: string[];
  /** Sets up what the call needs; what it writes (audit events too) is not counted. */
  prepare?(h: MutationHarness): Promise<unknown>;
  /** The one call of the mutation, with what `prepare` returned. */
  run(h: MutationHarness, state: unknown): Promise<unknown>;
  /** The organization the event belongs to, from the call's result, when it is not Acme (a sign-up makes its own). */
  organizationOf?(result: unknown): number;
};

/** A case, typed: `run` gets what `prepare` returned. */
export function mutation<S = undefined>(c: {
  name: string;
  action: AuditAction;
  secrets?: string[];
  prepare?(h: MutationHarness): Promise<S>;
  run(h: MutationHarness, state: S): Promise<unknown>;
  organizationOf?(result: never): number;
}): MutationCase {
  return c as MutationCase;
}

const keyInput = (over: Partial<CreateKeyInput> = {}): CreateKeyInput => ({
  name: "Audited key",
  mode: "test",
  permissions: ["sms.send"],
  hmac: false,
  offTheRecord: false,
  allowedCidrs: [],
  postbackUrl: null,
  expiresAt: null,
  ...over,
});

let people = 0;
/** A new member of Acme (own sessions and rate-limit counters), with the portal's context in the main workspace. */
async function newMember(h: MutationHarness, role: Role = "developer") {
  const email = `audited-${++people}-${Date.now()}@acme.test`;
  const [user] = await h.db
    .insert(users)
    .values({ email, name: `Audited Person ${people}`, passwordHash: await hashPassword(TEST_PASSWORD) })
    .returning({ id: users.id });
  await h.db.insert(memberships).values({ userId: user.id, organizationId: h.seed.organizationId, role });
  return { id: user.id, email, ctx: await contextFor(h.db, user.id, h.seed.mainWorkspaceId, "203.0.113.7") };
}
type Member = Awaited<ReturnType<typeof newMember>>;

/** Two-factor sign-in turned on for a new member, as the page does: the secret as the person reads it. */
async function enrolledMember(h: MutationHarness, role: Role = "developer") {
  const member = await newMember(h, role);
  const secret = await pendingSecret(h, member);
  // The code of the step before: a sign-in after it uses the current one.
  const { recoveryCodes } = await confirmTwoFactorSetup(h.db, member.ctx, { code: totpCodeAt(secret, Date.now() - 30_000) });
  return { ...member, secret, recoveryCodes };
}

async function pendingSecret(h: MutationHarness, member: Member): Promise<string> {
  await startTwoFactorSetup(h.db, member.ctx);
  const view = await getTwoFactorView(h.db, member);
  if (view.state !== "pending") throw new Error("two-factor setup not pending");
  return view.secret;
}

const NEW_PASSWORD = "Plover-Quartz-91-Meadow";
const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}-${++people}@audited.test`;
const formInput = (values: Record<string, unknown>) => webhookFormSchema.parse(values) as WebhookFormInput;

const newKey = async (h: MutationHarness, over: Partial<CreateKeyInput> = {}) => (await createKey(h.db, h.owner, keyInput(over))).key.id;

export const MUTATION_CASES: Record<string, MutationCase[]> = {
  "lib/keys/service.ts#createKey": [
    mutation({ name: "creates a key", action: "key.create", run: (h) => createKey(h.db, h.owner, keyInput()) }),
    mutation({ name: "creates an HMAC key", action: "key.create", run: (h) => createKey(h.db, h.owner, keyInput({ hmac: true })) }),
  ],
  "lib/keys/service.ts#updateKey": [
    mutation({
      name: "renames a key",
      action: "key.update",
      prepare: (h) => newKey(h),
      run: (h, id) => updateKey(h.db, h.owner, id, { name: "Renamed", permissions: ["sms.send", "sms.read"] }),
    }),
  ],
  "lib/keys/service.ts#setKeyEnabled": [
    mutation({
      name: "disables a key",
      action: "key.disable",
      prepare: (h) => newKey(h),
      run: (h, id) => setKeyEnabled(h.db, h.owner, id, false),
    }),
    mutation({
      name: "enables a key",
      action: "key.enable",
      prepare: async (h) => {
        const id = await newKey(h);
        await setKeyEnabled(h.db, h.owner, id, false);
        return id;
      },
      run: (h, id) => setKeyEnabled(h.db, h.owner, id, true),
    }),
  ],
  "lib/keys/service.ts#rollKey": [
    mutation({
      name: "rolls an HMAC key",
      action: "key.roll",
      prepare: (h) => newKey(h, { hmac: true }),
      run: (h, id) => rollKey(h.db, h.owner, id, 3600),
    }),
  ],
  "lib/keys/service.ts#revokeKey": [
    mutation({ name: "revokes a key", action: "key.revoke", prepare: (h) => newKey(h), run: (h, id) => revokeKey(h.db, h.owner, id) }),
  ],
  "lib/workspaces/settings.ts#updateWorkspaceSettings": [
    mutation({
      name: "blocks a country",
      action: "workspace.update",
      run: (h) => updateWorkspaceSettings(h.db, h.owner, { blockedCountries: ["KP"] }),
    }),
  ],
  "lib/webhooks/settings.ts#updateWebhookSettings": [
    mutation({
      name: "sets the live delivery URL and signing secret",
      action: "webhooks.update",
      secrets: ["whsec-audit-never-shown"],
      run: (h) =>
        updateWebhookSettings(h.db, h.owner, "live", {
          urls: { delivery: "https://hooks.example.com/dlr" },
          signingSecret: "whsec-audit-never-shown",
        }),
    }),
    mutation({
      name: "sets the test click URL",
      action: "webhooks.update_test",
      run: (h) => updateWebhookSettings(h.db, h.owner, "test", { urls: { click: "https://hooks.example.com/click" } }),
    }),
  ],
  "lib/sms/portal-send.ts#sendFromPortal": [
    mutation({
      name: "sends a test message from the portal",
      action: "sms.portal_send",
      run: async (h) => {
        const jobs = await createJobs(h.database, { workers: false });
        try {
          const input = composeSendSchema.parse({
            to: "+447700900123",
            senderId: "Acme",
            message: "Audited",
            mode: "test",
            confirmLive: false,
            idempotencyKey: randomUUID(),
          });
          return await sendFromPortal(jobs, h.owner, input);
        } finally {
          await jobs.stop();
        }
      },
    }),
  ],
  "lib/auth/sign-in.ts#signInWithPassword": [
    mutation({
      name: "signs in",
      action: "auth.sign_in",
      secrets: [TEST_PASSWORD],
      run: (h) =>
        signInWithPassword(h.db, { email: "admin@acme.test", password: TEST_PASSWORD, address: "203.0.113.9", userAgent: "test" }),
    }),
    mutation({
      name: "fails to sign in with a wrong password",
      action: "auth.sign_in_failed",
      secrets: ["a-wrong-password-never-stored"],
      run: (h) =>
        signInWithPassword(h.db, {
          email: "Viewer@Acme.test",
          password: "a-wrong-password-never-stored",
          address: "203.0.113.9",
          userAgent: null,
        }),
    }),
  ],
  "lib/auth/sign-in.ts#signInWithSecondFactor": [
    mutation({
      name: "signs in with a code from the app",
      action: "auth.sign_in",
      prepare: (h) => enrolledMember(h),
      run: (h, m) =>
        signInWithSecondFactor(h.db, {
          challenge: issueTwoFactorChallenge(m.id),
          code: totpCodeAt(m.secret, Date.now()),
          address: "203.0.113.9",
          userAgent: "test",
        }),
    }),
    mutation({
      name: "signs in with a recovery code",
      action: "auth.sign_in",
      prepare: (h) => enrolledMember(h),
      run: (h, m) =>
        signInWithSecondFactor(h.db, {
          challenge: issueTwoFactorChallenge(m.id),
          code: m.recoveryCodes[0],
          address: null,
          userAgent: null,
        }),
    }),
  ],
  "lib/auth/sign-up.ts#signUp": [
    mutation({
      name: "creates an organization with its Owner",
      action: "organization.create",
      secrets: [NEW_PASSWORD],
      run: (h) =>
        signUp(
          h.db,
          { address: "203.0.113.20" },
          { name: "Sam Founder", email: uniqueEmail("founder"), password: NEW_PASSWORD, organization: "Founders Inc" },
        ),
      organizationOf: (r: { organizationId: number }) => r.organizationId,
    }),
  ],
  "lib/portal/sign-up.ts#signUpAction": [
    mutation({
      name: "the sign-up form creates an organization",
      action: "organization.create",
      secrets: [NEW_PASSWORD],
      run: (h) =>
        signUpAction(
          { db: h.db, address: "203.0.113.21" },
          { name: "Sue Founder", email: uniqueEmail("form"), password: NEW_PASSWORD, organization: "Form Founders" },
        ),
      organizationOf: (r: { ok: boolean; data?: { organizationId: number } }) => r.data?.organizationId ?? -1,
    }),
  ],
  "lib/auth/account.ts#updateAccountName": [
    mutation({
      name: "renames the person",
      action: "account.update",
      prepare: (h) => newMember(h),
      run: (h, m) => updateAccountName(h.db, m.ctx, { name: "A New Name" }),
    }),
  ],
  "lib/auth/account.ts#changePassword": [
    mutation({
      name: "changes the password",
      action: "account.password_change",
      secrets: [TEST_PASSWORD, NEW_PASSWORD],
      prepare: (h) => newMember(h),
      run: (h, m) => changePassword(h.db, m.ctx, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }),
    }),
  ],
  "lib/auth/account.ts#signOutEverywhere": [
    mutation({
      name: "ends every session of the person",
      action: "account.sign_out_everywhere",
      prepare: (h) => newMember(h),
      run: (h, m) => signOutEverywhere(h.db, m.ctx),
    }),
  ],
  "lib/auth/two-factor.ts#startTwoFactorSetup": [
    mutation({
      name: "starts a setup",
      action: "account.two_factor_setup",
      prepare: (h) => newMember(h),
      run: (h, m) => startTwoFactorSetup(h.db, m.ctx),
    }),
  ],
  "lib/auth/two-factor.ts#confirmTwoFactorSetup": [
    mutation({
      name: "turns two-factor sign-in on with a code",
      action: "account.two_factor_enable",
      prepare: async (h) => {
        const member = await newMember(h);
        return { member, secret: await pendingSecret(h, member) };
      },
      run: (h, s) => confirmTwoFactorSetup(h.db, s.member.ctx, { code: totpCodeAt(s.secret, Date.now()) }),
    }),
  ],
  "lib/auth/two-factor.ts#regenerateRecoveryCodes": [
    mutation({
      name: "makes new recovery codes, proven with the password",
      action: "account.recovery_codes_regenerate",
      secrets: [TEST_PASSWORD],
      prepare: (h) => enrolledMember(h),
      run: (h, m) => regenerateRecoveryCodes(h.db, m.ctx, { credential: TEST_PASSWORD }),
    }),
  ],
  "lib/auth/two-factor.ts#turnOffTwoFactor": [
    mutation({
      name: "turns two-factor sign-in off, proven with the password",
      action: "account.two_factor_disable",
      secrets: [TEST_PASSWORD],
      prepare: (h) => enrolledMember(h),
      run: (h, m) => turnOffTwoFactor(h.db, m.ctx, { credential: TEST_PASSWORD }),
    }),
    mutation({
      name: "abandons a setup",
      action: "account.two_factor_setup_cancel",
      prepare: async (h) => {
        const member = await newMember(h);
        await startTwoFactorSetup(h.db, member.ctx);
        return member;
      },
      run: (h, m) => turnOffTwoFactor(h.db, m.ctx, { credential: "unused" }),
    }),
  ],
  "lib/auth/two-factor.ts#setTwoFactorRequirement": [
    mutation({
      name: "an Owner requires two-factor sign-in",
      action: "organization.update",
      prepare: (h) => enrolledMember(h, "owner"),
      run: (h, m) => setTwoFactorRequirement(h.db, m.ctx, { required: true }),
    }),
    // Last of its kind: the organization stops requiring it again, for the cases after.
    mutation({
      name: "an Owner stops requiring it",
      action: "organization.update",
      prepare: async (h) => {
        const owner = await enrolledMember(h, "owner");
        await setTwoFactorRequirement(h.db, owner.ctx, { required: true });
        return owner;
      },
      run: (h, m) => setTwoFactorRequirement(h.db, m.ctx, { required: false }),
    }),
  ],
  "lib/billing/top-up.ts#topUp": [
    mutation({
      name: "tops up the balance",
      action: "billing.top_up",
      run: (h) => topUp(h.db, h.owner, { workspaceId: h.seed.mainWorkspaceId, amount: "10.00", idempotencyKey: randomUUID() }),
    }),
  ],
  "lib/billing/top-up.ts#setLowBalanceAlert": [
    mutation({
      name: "sets the low balance alert",
      action: "billing.low_balance_alert",
      run: (h) => setLowBalanceAlert(h.db, h.owner, { workspaceId: h.seed.mainWorkspaceId, threshold: "12.50" }),
    }),
  ],
  "lib/team/invitations.ts#createInvitation": [
    mutation({
      name: "invites a Developer",
      action: "member.invited",
      run: (h) => createInvitation(h.db, h.owner, { email: uniqueEmail("invited"), role: "developer" }),
    }),
  ],
  "lib/team/invitations.ts#revokeInvitation": [
    mutation({
      name: "revokes an invitation",
      action: "member.invitation_revoked",
      prepare: async (h) => (await createInvitation(h.db, h.owner, { email: uniqueEmail("revoked"), role: "viewer" })).invitation.id,
      run: (h, id) => revokeInvitation(h.db, h.owner, id),
    }),
  ],
  "lib/team/invitations.ts#acceptInvitation": [
    mutation({
      name: "the invitee creates an account and joins",
      action: "member.joined",
      secrets: [NEW_PASSWORD],
      prepare: async (h) => (await createInvitation(h.db, h.owner, { email: uniqueEmail("joins"), role: "developer" })).token,
      run: (h, token) => acceptInvitation(h.db, token, { name: "Jo Joiner", password: NEW_PASSWORD }, "203.0.113.30"),
    }),
    mutation({
      name: "a person with an account joins",
      action: "member.joined",
      prepare: async (h) => {
        const email = uniqueEmail("existing");
        const [user] = await h.db
          .insert(users)
          .values({ email, name: "Existing Person", passwordHash: await hashPassword(TEST_PASSWORD) })
          .returning({ id: users.id });
        const { token } = await createInvitation(h.db, h.owner, { email, role: "viewer" });
        return { token, userId: user.id };
      },
      run: (h, s) => acceptInvitation(h.db, s.token, { userId: s.userId }, null),
    }),
  ],
  "lib/team/members.ts#changeMemberRole": [
    mutation({
      name: "makes a Developer a Viewer",
      action: "member.role_changed",
      prepare: (h) => newMember(h, "developer"),
      run: (h, m) => changeMemberRole(h.db, h.owner, m.id, "viewer"),
    }),
  ],
  "lib/team/members.ts#removeMember": [
    mutation({
      name: "removes a member",
      action: "member.removed",
      prepare: (h) => newMember(h, "developer"),
      run: (h, m) => removeMember(h.db, h.owner, m.id),
    }),
  ],
  "lib/webhooks/form-service.ts#saveWebhookForm": [
    mutation({
      name: "saves the Webhooks page's form with a new signing secret",
      action: "webhooks.update",
      secrets: ["whsec-form-never-shown-again"],
      run: (h) =>
        saveWebhookForm(
          h.db,
          h.owner,
          formInput({
            deliveryUrl: "https://93.184.215.14/delivery",
            clickUrl: "",
            deliveryFields: ["message_id", "status"],
            events: ["delivery", "key.revoked"],
            signingSecret: "whsec-form-never-shown-again",
          }),
        ),
    }),
  ],
  "lib/webhooks/form-service.ts#clearWebhookSigningSecret": [
    mutation({
      name: "clears the signing secret",
      action: "webhooks.update",
      secrets: ["whsec-cleared-never-shown"],
      prepare: (h) => updateWebhookSettings(h.db, h.owner, "live", { signingSecret: "whsec-cleared-never-shown" }),
      run: (h) => clearWebhookSigningSecret(h.db, h.owner),
    }),
  ],
  "lib/workspaces/manage.ts#createWorkspace": [
    mutation({
      name: "creates a workspace",
      action: "workspace.create",
      run: (h) => createWorkspace(h.db, h.owner, { name: `Audited ${++people}` }),
    }),
  ],
  "lib/workspaces/manage.ts#renameWorkspace": [
    mutation({
      name: "renames a workspace",
      action: "workspace.rename",
      prepare: async (h) => (await createWorkspace(h.db, h.owner, { name: `To rename ${++people}` })).id,
      run: (h, id) => renameWorkspace(h.db, h.owner, { id, name: `Renamed ${++people}` }),
    }),
  ],
  "lib/workspaces/manage.ts#archiveWorkspace": [
    mutation({
      name: "archives a workspace",
      action: "workspace.archive",
      prepare: async (h) => (await createWorkspace(h.db, h.owner, { name: `To archive ${++people}` })).id,
      run: (h, id) => archiveWorkspace(h.db, h.owner, { id }),
    }),
  ],
};

/** Functions the scan finds that write no audit event of their own, each with its reason. */
export const NOT_AUDITED: Record<string, string> = {
  "lib/sms/portal-send.ts#previewForPortal":
    "changes nothing: POST /sms/preview's function (previewSend) only reads the workspace and the prices; the scan counts it because it takes a context and a Db",
  "lib/portal/server-actions/sign-up.ts#signUpServerAction":
    'a "use server" binding of signUpAction (whose case checks its one organization.create event) to the request, then next-auth\'s signIn, which needs a request: nothing of its own to audit',
  "lib/webhooks/form-service.ts#sendPortalTestEvent":
    '"Send test" changes no setting: it writes the attempt to the delivery log, which is its record (docs/portal.md, Webhooks), as for the API\'s test endpoint',
};
