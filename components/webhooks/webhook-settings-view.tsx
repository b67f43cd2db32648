import { formatDateTime } from "@/lib/format/dates";
import type { DeliveryField } from "@/lib/webhooks/fields";
import type { WebhookFormView } from "@/lib/webhooks/form-service";

export const DELIVERY_FIELD_HINTS: Record<DeliveryField, string> = {
  message_id: "Our id of the message",
  telecom_message_id: "The carrier's id",
  recipient: "The number it went to",
  sender_id: "The sender shown",
  status: "DELIVRD, UNDELIV, …",
  status_code: "The carrier's code",
  num_parts: "Segments billed",
  cost: "What it cost",
  timestamp: "When the status came",
  workspace_id: "This workspace's id",
  failure: "Why it was not delivered, and what to do",
};

/** Whether a signing secret is set, and since when; never the secret. */
export function SecretState({ view }: { view: WebhookFormView }) {
  return (
    <p className="text-sm text-slate-700">
      {view.signingSecretSet ? (
        <>
          <span className="font-medium text-slate-900">A signing secret is set</span>
          {view.signingSecretSetAt ? ` (since ${formatDateTime(view.signingSecretSetAt)})` : ""}: events carry an{" "}
          <code>X-Webhook-Signature</code> header.
        </>
      ) : (
        <>
          <span className="font-medium text-slate-900">No signing secret is set</span>: events are sent unsigned.
        </>
      )}
    </p>
  );
}

/** The settings for a member who may read but not change them (Viewer). */
export function WebhookSettingsView({ view }: { view: WebhookFormView }) {
  const rows: [string, React.ReactNode][] = [
    ["Delivery URL", view.deliveryUrl ? <code className="break-all">{view.deliveryUrl}</code> : "Not set: no delivery events are sent"],
    ["Click URL", view.clickUrl ? <code className="break-all">{view.clickUrl}</code> : "Not set: no click events are sent"],
    ["Delivery fields", <code key="f">{view.deliveryFields.join(", ")}</code>],
    ["Events", view.events.length > 0 ? <code key="e">{view.events.join(", ")}</code> : "None: no events are sent"],
  ];
  return (
    <div className="space-y-3">
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        {rows.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-slate-600">{label}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      <SecretState view={view} />
      <p className="text-xs text-slate-600">Your role can see these settings; Owners, Admins and Developers change them.</p>
    </div>
  );
}
