import type { Metadata } from "next";
import { NameForm, PasswordForm } from "@/components/account/profile-forms";
import { SignOutEverywhereButton } from "@/components/account/sign-out-everywhere";
import { TotpQrCode } from "@/components/account/totp-qr";
import { ManageTwoFactorForm, PendingSetup, RequireSwitch, TurnOnButton } from "@/components/account/two-factor";
import { Badge } from "@/components/ui/badge";
import { Table, tableHeadClass } from "@/components/ui/table";
import { getDb } from "@/db";
import { listActiveSessions } from "@/lib/auth/sessions";
import { getTwoFactorView } from "@/lib/auth/two-factor";
import { formatDateTime } from "@/lib/format/dates";
import { describeUserAgent } from "@/lib/format/user-agent";
import { mustSetUpTwoFactor, requireAccountContext } from "@/lib/portal/session";

export const metadata: Metadata = { title: "Your account" };

const sectionClass = "rounded-lg border border-slate-200 bg-white p-4";

export default async function AccountPage() {
  // Open while the organization's two-factor requirement is not met: this is where it is met.
  const context = await requireAccountContext();
  const db = await getDb();
  const [twoFactor, sessions] = await Promise.all([getTwoFactorView(db, context.user), listActiveSessions(db, context.user.id)]);
  const mustSetUp = mustSetUpTwoFactor(context);

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Your account</h1>
        <p className="mt-1 text-sm text-slate-600">{context.user.email}</p>
      </div>

      {mustSetUp ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          {context.organization.name} requires two-factor authentication. Turn it on below to use the portal.
        </p>
      ) : null}

      <section aria-labelledby="two-factor-heading" className={sectionClass}>
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="two-factor-heading" className="text-lg font-semibold">
            Two-factor authentication
          </h2>
          {twoFactor.state === "on" ? (
            <Badge tone="green">On</Badge>
          ) : twoFactor.state === "pending" ? (
            <Badge tone="amber">Setting up</Badge>
          ) : (
            <Badge tone="slate">Off</Badge>
          )}
        </div>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Sign-in asks for a code from an authenticator app (such as 1Password, Google Authenticator or Authy) after your password.
        </p>
        {twoFactor.state === "off" ? <TurnOnButton /> : null}
        {twoFactor.state === "pending" ? (
          <PendingSetup>
            <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
              <li>Scan the QR code with your authenticator app, or type the secret into it.</li>
              <li>Enter the 6-digit code the app shows.</li>
            </ol>
            <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
              <TotpQrCode uri={twoFactor.uri} />
              <div className="min-w-0 space-y-1">
                <p className="text-sm font-medium text-slate-800" id="totp-secret-label">
                  Secret
                </p>
                <p aria-labelledby="totp-secret-label" className="font-mono text-sm break-words text-slate-900" data-testid="totp-secret">
                  {twoFactor.secret.replace(/(.{4})/g, "$1 ").trim()}
                </p>
              </div>
            </div>
          </PendingSetup>
        ) : null}
        {twoFactor.state === "on" ? (
          <div className="space-y-4">
            <p className="text-sm text-slate-700">
              On since {formatDateTime(twoFactor.enabledAt.toISOString())}. {twoFactor.recoveryCodesLeft} of 10 recovery codes left.
            </p>
            <ManageTwoFactorForm
              turnOffRefusal={
                context.twoFactor.required
                  ? `${context.organization.name} requires two-factor authentication: it cannot be turned off.`
                  : null
              }
            />
          </div>
        ) : null}
        {context.role === "owner" ? (
          <div className="mt-4 border-t border-slate-200 pt-4">
            <RequireSwitch
              organization={context.organization.name}
              required={context.twoFactor.required}
              canRequire={twoFactor.state === "on"}
            />
          </div>
        ) : null}
      </section>

      <section aria-labelledby="profile-heading" className={sectionClass}>
        <h2 id="profile-heading" className="mb-3 text-lg font-semibold">
          Profile
        </h2>
        <NameForm name={context.user.name} />
      </section>

      <section aria-labelledby="password-heading" className={sectionClass}>
        <h2 id="password-heading" className="mb-3 text-lg font-semibold">
          Password
        </h2>
        <PasswordForm />
      </section>

      <section aria-labelledby="sessions-heading" className={`${sectionClass} space-y-3`}>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="sessions-heading" className="text-lg font-semibold">
              Active sessions
            </h2>
            <p className="mt-1 text-sm text-slate-600">Where you are signed in. Signing out everywhere ends this session too.</p>
          </div>
          <SignOutEverywhereButton />
        </div>
        <Table caption="Active sessions">
          <thead className={tableHeadClass}>
            <tr>
              <th scope="col" className="px-3 py-2">
                Device
              </th>
              <th scope="col" className="px-3 py-2">
                Address
              </th>
              <th scope="col" className="px-3 py-2">
                Signed in
              </th>
              <th scope="col" className="px-3 py-2">
                Last seen
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sessions.map((s) => (
              <tr key={s.id}>
                <td className="px-3 py-2">
                  <span className="mr-2">{describeUserAgent(s.userAgent)}</span>
                  {s.id === context.sessionId ? <Badge tone="indigo">This session</Badge> : null}
                </td>
                <td className="px-3 py-2 font-mono text-xs">{s.address ?? "—"}</td>
                <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(s.createdAt.toISOString())}</td>
                <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(s.lastSeenAt.toISOString())}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </section>
    </div>
  );
}
