import type { ReactNode } from "react";

/** A bordered, horizontally scrollable data table with a caption for screen readers; children are its thead and tbody. */
export function Table({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** The header row's look: small caps on a light band. */
export const tableHeadClass = "bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase";
