import { Badge } from "@/components/ui/badge";
import type { KeyStatus, KeyView } from "@/lib/keys/view";

const STATUS: Record<KeyStatus, { label: string; tone: "green" | "slate" | "amber" | "red" }> = {
  active: { label: "Active", tone: "green" },
  disabled: { label: "Disabled", tone: "slate" },
  expired: { label: "Expired", tone: "amber" },
  revoked: { label: "Revoked", tone: "red" },
};

export function StatusBadge({ status }: { status: KeyStatus }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}

export function ModeBadge({ mode }: { mode: KeyView["mode"] }) {
  return mode === "live" ? <Badge tone="indigo">Live</Badge> : <Badge tone="purple">Test</Badge>;
}
