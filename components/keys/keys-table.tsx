"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { useTable, type SortingState } from "@tanstack/react-table";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { createKeyColumns, keyTableFeatures } from "./key-columns";
import { useKeyDialogs } from "./key-dialogs";
import type { KeyPage, ListKeysQuery } from "@/lib/keys/service";
import type { Role } from "@/lib/permissions/catalog";

/**
 * The keys table. Sorting, filtering and paging happen in the database: the
 * table's state lives in the URL and each change asks the server for a page.
 */
/** `readOnly` (an archived workspace): no "Create API key" and no row actions. */
export function KeysTable({
  page,
  query,
  role,
  readOnly = false,
}: {
  page: KeyPage;
  query: ListKeysQuery;
  role: Role;
  readOnly?: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const { open, dialogs } = useKeyDialogs(role);
  const [filter, setFilter] = useState(query.q);

  const navigate = (changes: Record<string, string | number | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, String(v));
    }
    startTransition(() => router.replace(`${pathname}?${next.toString()}`, { scroll: false }));
  };

  // Filter as the person types, a moment after they stop.
  useEffect(() => {
    if (filter === query.q) return;
    const timer = setTimeout(() => navigate({ q: filter, page: null }), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- navigate is rebuilt each render; filter drives this
  }, [filter]);

  const columns = useMemo(
    () => createKeyColumns(readOnly ? {} : { onEdit: open.edit, onToggle: open.toggle, onRoll: open.roll, onRevoke: open.revoke }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the dialog openers are stable setters
    [],
  );
  const sorting: SortingState = [{ id: query.sort, desc: query.dir === "desc" }];
  const table = useTable({
    features: keyTableFeatures,
    columns,
    data: page.rows,
    rowCount: page.total,
    manualSorting: true,
    manualPagination: true,
    state: { sorting, pagination: { pageIndex: page.page - 1, pageSize: page.pageSize } },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      navigate(first ? { sort: first.id, dir: first.desc ? "desc" : "asc", page: null } : { sort: null, dir: null, page: null });
    },
    getRowId: (row) => row.id,
  });

  return (
    <div className="space-y-4">
      {dialogs}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <input
          type="search"
          aria-label="Filter by name"
          placeholder="Filter by name"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          className={`${inputClass} max-w-xs`}
        />
        {readOnly ? null : <Button onClick={open.create}>Create API key</Button>}
      </div>

      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white" aria-busy={pending}>
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      className="px-3 py-2 text-left font-semibold whitespace-nowrap text-slate-700"
                    >
                      {canSort ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 hover:underline"
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden="true">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className={row.original.status === "revoked" ? "bg-slate-50 text-slate-500" : undefined}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2 whitespace-nowrap">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
            {page.rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-3 py-8 text-center text-slate-600">
                  {query.q ? `No keys match “${query.q}”.` : "No API keys yet. Create one to start calling the API."}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <nav aria-label="Pagination" className="flex items-center justify-between text-sm text-slate-700">
        <p>
          {page.total === 0
            ? "0 keys"
            : `${(page.page - 1) * page.pageSize + 1}–${Math.min(page.page * page.pageSize, page.total)} of ${page.total} keys`}
        </p>
        <div className="flex items-center gap-2">
          <Button variant="secondary" disabled={page.page <= 1} onClick={() => navigate({ page: page.page - 1 })}>
            Previous page
          </Button>
          <span>
            Page {page.page} of {page.pageCount}
          </span>
          <Button variant="secondary" disabled={page.page >= page.pageCount} onClick={() => navigate({ page: page.page + 1 })}>
            Next page
          </Button>
        </div>
      </nav>
    </div>
  );
}
