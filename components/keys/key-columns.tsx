"use client";

import Link from "next/link";
import { createColumnHelper, rowPaginationFeature, rowSortingFeature, tableFeatures } from "@tanstack/react-table";
import { Menu, type MenuItem } from "@/components/ui/menu";
import { ModeBadge, StatusBadge } from "./key-badges";
import { formatDate, formatDateTime } from "@/lib/format/dates";
import { summarize } from "@/lib/permissions/math";
import type { KeyView } from "@/lib/keys/view";

export const keyTableFeatures = tableFeatures({ rowSortingFeature, rowPaginationFeature });
const column = createColumnHelper<typeof keyTableFeatures, KeyView>();

export type KeyRowActions = {
  onEdit?: (key: KeyView) => void;
  onToggle?: (key: KeyView) => void;
  onRoll?: (key: KeyView) => void;
  onRevoke?: (key: KeyView) => void;
};

/** The keys table's columns as data; a row action shows only when its callback is given. */
export function createKeyColumns(actions: KeyRowActions) {
  return column.columns([
    column.accessor("name", {
      header: "Name",
      cell: ({ row }) => (
        <Link href={`/settings/api-keys/${row.original.id}`} className="font-medium text-indigo-800 hover:underline">
          {row.original.name}
        </Link>
      ),
    }),
    column.accessor("display", {
      header: "Key",
      enableSorting: false,
      cell: ({ getValue }) => <code className="text-xs text-slate-700">{getValue()}</code>,
    }),
    column.accessor("mode", { header: "Mode", enableSorting: false, cell: ({ getValue }) => <ModeBadge mode={getValue()} /> }),
    column.accessor("status", {
      header: "Status",
      enableSorting: false,
      cell: ({ row }) => (
        <span className="inline-flex flex-col gap-0.5">
          <StatusBadge status={row.original.status} />
          {row.original.expiresSoon ? <span className="text-xs text-amber-800">Expires soon</span> : null}
        </span>
      ),
    }),
    column.accessor("permissions", {
      header: "Permissions",
      enableSorting: false,
      cell: ({ getValue }) => <span title={getValue().join(", ")}>{summarize(getValue())}</span>,
    }),
    column.accessor("createdAt", { header: "Created", cell: ({ getValue }) => formatDate(getValue()) }),
    column.accessor((k) => k.createdBy?.name ?? "—", { id: "createdBy", header: "Created by", enableSorting: false }),
    column.accessor("lastUsedAt", { header: "Last used", cell: ({ getValue }) => formatDateTime(getValue(), "Never") }),
    column.accessor("expiresAt", { header: "Expires", cell: ({ getValue }) => formatDate(getValue(), "Never") }),
    column.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) => {
        const key = row.original;
        if (key.status === "revoked") return null;
        const items: MenuItem[] = [];
        if (actions.onEdit) items.push({ label: "Edit", onSelect: () => actions.onEdit!(key) });
        if (actions.onToggle) items.push({ label: key.enabled ? "Disable" : "Enable", onSelect: () => actions.onToggle!(key) });
        if (actions.onRoll) items.push({ label: "Roll key", onSelect: () => actions.onRoll!(key) });
        if (actions.onRevoke) items.push({ label: "Revoke", onSelect: () => actions.onRevoke!(key), danger: true });
        return items.length ? <Menu label={`Actions for ${key.name}`} items={items} /> : null;
      },
    }),
  ]);
}
