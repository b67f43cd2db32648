import { Badge } from "@/components/ui/badge";

const LABELS: Record<string, { label: string; tone: "green" | "amber" | "red" | "slate" }> = {
  pending: { label: "Queued", tone: "slate" },
  sent: { label: "Sent", tone: "amber" },
  DELIVRD: { label: "Delivered", tone: "green" },
  UNDELIV: { label: "Undelivered", tone: "red" },
  REJECTD: { label: "Rejected", tone: "red" },
  EXPIRED: { label: "Expired", tone: "red" },
  UNKNOWN: { label: "Unknown", tone: "slate" },
  failed: { label: "Not sent", tone: "red" },
};

/** A message's status as a badge, with the stored status kept in the accessible text. */
export function MessageStatus({ status }: { status: string }) {
  const shown = LABELS[status] ?? { label: status, tone: "slate" as const };
  return <Badge tone={shown.tone}>{shown.label}</Badge>;
}
