"use client";

import { useMemo, useState } from "react";
import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createPaginatedRowModel,
  filterFn_includesString,
  globalFilteringFeature,
  rowPaginationFeature,
  tableFeatures,
  useTable,
  type PaginationState,
} from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { tableHeadClass } from "@/components/ui/table";
import { formatDate } from "@/lib/format/dates";
import { formatMoney } from "@/lib/format/money";
import type { PriceRow } from "@/lib/billing/queries";

// The price list is small (one row per network, ~150): the page has all of it and
// searches and pages it here, without a round trip per keystroke.
const features = tableFeatures({
  columnFilteringFeature,
  globalFilteringFeature,
  rowPaginationFeature,
  filteredRowModel: createFilteredRowModel(),
  paginatedRowModel: createPaginatedRowModel(),
  filterFns: { includesString: filterFn_includesString },
});
const column = createColumnHelper<typeof features, PriceRow>();

const PAGE_SIZE = 20;
const CHANGE_TONE = { Increase: "red", Decrease: "green", Same: "slate" } as const;
const CHANGE_LABEL = { Increase: "↑ Increase", Decrease: "↓ Decrease", Same: "No change" } as const;

/** Columns hidden on narrow screens (their facts repeat in a visible cell there). */
const CELL_CLASS: Record<string, string> = {
  network: "hidden sm:table-cell",
  previousRate: "hidden text-right tabular-nums sm:table-cell",
  effectiveFrom: "hidden md:table-cell",
  rate: "text-right tabular-nums",
};

const columns = column.columns([
  // Searched by country name and code.
  column.accessor((p) => `${p.countryName} ${p.country}`, {
    id: "country",
    header: "Country",
    cell: ({ row }) => (
      <>
        <span className="font-medium text-slate-900">{row.original.countryName}</span>{" "}
        <span className="text-slate-600">
          ({row.original.country}, {row.original.dialcode})
        </span>
        <span className="block text-xs text-slate-600 sm:hidden">{row.original.network}</span>
      </>
    ),
  }),
  // Searched by network name and MCC/MNC.
  column.accessor((p) => `${p.network} ${p.mccmnc}`, {
    id: "network",
    header: "Network",
    cell: ({ row }) => (
      <>
        {row.original.network} <span className="text-xs text-slate-600">MCC/MNC {row.original.mccmnc}</span>
      </>
    ),
  }),
  column.accessor("rate", {
    header: "Price per SMS",
    enableGlobalFilter: false,
    cell: ({ row }) => formatMoney(row.original.rate, row.original.currency),
  }),
  column.accessor("changeType", {
    header: "Change",
    enableGlobalFilter: false,
    cell: ({ row }) => (
      <span className="inline-flex flex-col gap-0.5">
        <Badge tone={CHANGE_TONE[row.original.changeType]}>{CHANGE_LABEL[row.original.changeType]}</Badge>
        {row.original.changeType === "Same" ? null : (
          <span className="text-xs text-slate-600 sm:hidden">from {formatMoney(row.original.previousRate, row.original.currency)}</span>
        )}
      </span>
    ),
  }),
  column.accessor("previousRate", {
    header: "Previous price",
    enableGlobalFilter: false,
    cell: ({ row }) => formatMoney(row.original.previousRate, row.original.currency),
  }),
  column.accessor("effectiveFrom", {
    header: "Effective from",
    enableGlobalFilter: false,
    cell: ({ getValue }) => formatDate(getValue()),
  }),
]);

export function PricesTable({ prices }: { prices: PriceRow[] }) {
  const [search, setSearch] = useState("");
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE });
  const data = useMemo(() => prices, [prices]);
  const table = useTable({
    features,
    columns,
    data,
    state: { globalFilter: search, pagination },
    onGlobalFilterChange: (updater) => setSearch(typeof updater === "function" ? updater(search) : updater),
    onPaginationChange: setPagination,
    globalFilterFn: "includesString",
    getRowId: (row) => String(row.id),
  });
  const matching = table.getFilteredRowModel().rows.length;
  const pageCount = Math.max(1, table.getPageCount());
  const first = matching === 0 ? 0 : pagination.pageIndex * PAGE_SIZE + 1;
  const last = Math.min((pagination.pageIndex + 1) * PAGE_SIZE, matching);

  return (
    <div className="space-y-3">
      <input
        type="search"
        aria-label="Search prices"
        placeholder="Search by country or network"
        value={search}
        onChange={(e) => {
          setSearch(e.target.value);
          setPagination((p) => ({ ...p, pageIndex: 0 }));
        }}
        className={`${inputClass} max-w-sm`}
      />
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Prices</caption>
          <thead className={tableHeadClass}>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className={`px-3 py-2 whitespace-nowrap ${CELL_CLASS[header.column.id] ?? ""}`}>
                    <table.FlexRender header={header} />
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="hover:bg-slate-50">
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={`px-3 py-2 ${CELL_CLASS[cell.column.id] ?? ""}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
            {matching === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-3 py-8 text-center text-slate-600">
                  No prices match “{search}”.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav aria-label="Prices pages" className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700">
        <p aria-live="polite">
          {matching === 0 ? "No networks" : `${first}–${last} of ${matching} network${matching === 1 ? "" : "s"}`}
          {search ? " matching your search" : ""}
        </p>
        <div className="flex items-center gap-2">
          <Button variant="secondary" disabled={!table.getCanPreviousPage()} onClick={() => table.previousPage()}>
            Previous page
          </Button>
          <span>
            Page {pagination.pageIndex + 1} of {pageCount}
          </span>
          <Button variant="secondary" disabled={!table.getCanNextPage()} onClick={() => table.nextPage()}>
            Next page
          </Button>
        </div>
      </nav>
    </div>
  );
}
