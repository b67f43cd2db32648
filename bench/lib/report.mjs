// Rows of the benchmark's table: each a figure over several runs (median, min, max)
// and, where the issue sets one, a target. Printing and writing the results.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** p-th percentile (nearest rank) of unsorted values. */
export const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

/** Targets: `{ op: ">=" | "<=" | "<", value }`. */
const meets = (target, value) =>
  target.op === ">="
    ? value >= target.value
    : target.op === "<="
      ? value <= target.value
      : target.op === "<"
        ? value < target.value
        : value > target.value;

const OP_TEXT = { ">=": "≥", "<=": "≤", "<": "<", ">": ">" };

/**
 * A measured row. `format` is how its numbers print: "ratio" (2 decimals), "ms",
 * "int" (thousands separators), "mb", "s".
 */
export function measured(n, scenario, figure, values, { target = null, format = "ratio", unit = "", note = "" } = {}) {
  const clean = values.filter((v) => Number.isFinite(v));
  if (clean.length === 0) return failed(n, scenario, figure, "no measurement", { target });
  const row = {
    n: String(n),
    scenario,
    figure,
    status: "ok",
    values: clean,
    median: median(clean),
    min: Math.min(...clean),
    max: Math.max(...clean),
    format,
    unit,
    target,
    note,
  };
  row.met = target ? meets(target, row.median) : null;
  return row;
}

/** A row that could not be measured: `status` says why ("error", "skipped", "missing"). */
export function failed(n, scenario, figure, note, { target = null, status = "error", format = "ratio", unit = "" } = {}) {
  // "unresponsive": the server did not answer in time, which misses any target.
  const met = status === "unresponsive" && target ? false : null;
  return { n: String(n), scenario, figure, status, values: [], median: null, min: null, max: null, format, unit, target, met, note };
}

const group = (n) => Math.round(n).toLocaleString("en-US");

export function formatNumber(value, format) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  switch (format) {
    case "ratio":
      return value.toFixed(2);
    case "ms":
      return value >= 100
        ? value.toFixed(0)
        : value >= 10
          ? value.toFixed(1)
          : value >= 0.1
            ? value.toFixed(2)
            : value >= 0.01
              ? value.toFixed(3)
              : value.toFixed(4);
    case "mb":
      return value.toFixed(1);
    case "s":
      return value.toFixed(2);
    default:
      return group(value);
  }
}

export function targetText(row) {
  if (!row.target) return row.target === null && row.status === "ok" ? "report" : "";
  const t = row.target;
  return `${OP_TEXT[t.op]} ${formatNumber(t.value, row.format)}${row.unit && row.unit !== "×" ? " " + row.unit : ""}`;
}

export function metText(row) {
  if (row.status === "skipped") return "n/a";
  if (row.status === "missing") return "endpoint missing";
  if (row.status === "error") return "ERROR";
  if (row.status === "unresponsive") return "**no answer**";
  if (row.met === null) return "—";
  return row.met ? "yes" : "**missed**";
}

const cell = (row, key) => {
  if (row.status !== "ok") return key === "median" ? row.note || row.status : "—";
  const text = formatNumber(row[key], row.format);
  return row.unit && row.unit !== "×" ? `${text} ${row.unit}` : text;
};

const escape = (s) => String(s).replace(/\|/g, "\\|");

export function markdownTable(rows) {
  const lines = ["| # | Scenario | Figure | Median | Min | Max | Target | Met? |", "|---|---|---|---:|---:|---:|---|---|"];
  for (const row of rows) {
    lines.push(
      `| ${row.n} | ${escape(row.scenario)} | ${escape(row.figure)}${row.status === "ok" && row.note ? " †" : ""} | ${escape(cell(row, "median"))} | ${cell(row, "min")} | ${cell(row, "max")} | ${escape(targetText(row))} | ${metText(row)} |`,
    );
  }
  const annotated = rows.filter((r) => r.status === "ok" && r.note);
  if (annotated.length) lines.push("", ...annotated.map((r) => `† #${r.n} ${r.scenario}, ${r.figure}: ${r.note}`));
  return lines.join("\n");
}

export function headerLines(meta) {
  return [
    `- Date: ${meta.date} (${meta.mode} mode${meta.mode === "short" ? ": few runs, short durations, small row counts — for CI, not for decisions" : ""})`,
    `- Commit: ${meta.commit}`,
    `- Machine: ${meta.machine.cores} cores (${meta.machine.cpu}), ${meta.machine.memoryGb} GB memory, load average ${meta.machine.loadAverage} at start, ${meta.machine.platform}`,
    `- Node.js: ${meta.node}`,
    `- Database: ${meta.database}${meta.redis ? `; Redis: ${meta.redis}` : ""}`,
    `- Load: ${meta.load}`,
    `- Took: ${meta.seconds} s`,
  ];
}

export function markdownReport(meta, rows, notes) {
  const missed = rows.filter((r) => r.met === false);
  const errors = rows.filter((r) => r.status === "error");
  return [
    `# Benchmark results, ${meta.date}${meta.mode === "short" ? " (short mode)" : ""}`,
    "",
    ...headerLines(meta),
    "",
    markdownTable(rows),
    "",
    `Targets missed: ${missed.length === 0 ? "none" : missed.map((r) => `#${r.n} ${r.scenario}, ${r.figure}`).join("; ")}.`,
    ...(errors.length ? [`Errors: ${errors.map((r) => `#${r.n} ${r.scenario}: ${r.note}`).join("; ")}.`] : []),
    "",
    ...(notes.length ? ["Notes:", "", ...notes.map((n) => `- ${n}`), ""] : []),
  ].join("\n");
}

export function writeResults(dir, meta, rows, notes) {
  mkdirSync(dir, { recursive: true });
  // One file per date and database (a run on each can sit side by side), short runs apart.
  const base = path.join(dir, `${meta.date}-${meta.driver}${meta.mode === "short" ? "-short" : ""}`);
  writeFileSync(`${base}.json`, JSON.stringify({ meta, rows, notes }, null, 2) + "\n");
  writeFileSync(`${base}.md`, markdownReport(meta, rows, notes));
  return base;
}
