const tones = {
  green: "bg-green-100 text-green-900 ring-green-700/20",
  amber: "bg-amber-100 text-amber-900 ring-amber-700/20",
  red: "bg-red-100 text-red-900 ring-red-700/20",
  slate: "bg-slate-100 text-slate-800 ring-slate-700/20",
  indigo: "bg-indigo-100 text-indigo-900 ring-indigo-700/20",
  purple: "bg-purple-100 text-purple-900 ring-purple-700/20",
} as const;

export function Badge({ tone, children }: { tone: keyof typeof tones; children: React.ReactNode }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${tones[tone]}`}
    >
      {children}
    </span>
  );
}
