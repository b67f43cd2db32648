// Fixed locale and zone so the server render and the browser agree (no hydration mismatch).
const dateTime = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});
const dateOnly = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "2-digit", timeZone: "UTC" });

export function formatDateTime(iso: string | null, empty = "—"): string {
  return iso ? `${dateTime.format(new Date(iso))} UTC` : empty;
}

export function formatDate(iso: string | null, empty = "—"): string {
  return iso ? dateOnly.format(new Date(iso)) : empty;
}
