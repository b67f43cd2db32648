import { NavLink } from "@/components/shell/nav-link";
import { hasPortalRight, type PortalRight, type Role } from "@/lib/permissions/catalog";

/** The portal's pages in navigation order, each under the portal right that opens it (none: every member). */
const NAV_ITEMS: ReadonlyArray<{ href: string; label: string; right?: PortalRight }> = [
  { href: "/", label: "Dashboard" },
  { href: "/messages", label: "Messages", right: "traffic.page" },
  { href: "/statistics", label: "Statistics", right: "traffic.page" },
  { href: "/webhooks", label: "Webhooks", right: "webhooks.page" },
  { href: "/settings/api-keys", label: "API keys", right: "keys.page" },
  // Every member sees who is in the team; inviting, role changes and removal need members.manage.
  { href: "/team", label: "Team" },
  { href: "/billing", label: "Billing", right: "billing.page" },
  { href: "/audit", label: "Audit log", right: "audit.page" },
  { href: "/settings/workspace", label: "Workspace settings", right: "workspace.settings" },
  { href: "/api-reference", label: "API reference" },
];

/** The "Main" navigation: only the pages this person's role may open. */
export function MainNav({ role }: { role: Role }) {
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-1 md:w-48 md:shrink-0 md:flex-col md:flex-nowrap md:space-y-1">
      {NAV_ITEMS.filter((item) => !item.right || hasPortalRight(role, item.right)).map((item) => (
        <NavLink key={item.href} href={item.href}>
          {item.label}
        </NavLink>
      ))}
    </nav>
  );
}
