/**
 * Exact money: amounts as integers of 1/100,000 of the currency unit (the scale
 * of every numeric(…, 5) money column), so sums never drift the way floats do.
 */
export const MONEY_SCALE = 5;
const FACTOR = 10n ** BigInt(MONEY_SCALE);

/** "0.0385" → 3850n; "-12.5" → -1250000n. Refuses anything but a plain decimal. */
export function toUnits(decimal: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new Error(`not a decimal amount: ${decimal}`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > MONEY_SCALE && /[1-9]/.test(fraction.slice(MONEY_SCALE))) {
    throw new Error(`more than ${MONEY_SCALE} decimals: ${decimal}`);
  }
  const units = BigInt(whole) * FACTOR + BigInt(fraction.slice(0, MONEY_SCALE).padEnd(MONEY_SCALE, "0"));
  return sign ? -units : units;
}

/** 3850n → "0.03850" (for numeric columns). */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const text = `${abs / FACTOR}.${(abs % FACTOR).toString().padStart(MONEY_SCALE, "0")}`;
  return negative ? `-${text}` : text;
}

/** For JSON responses: a number, exact to the scale (e.g. 0.0385). */
export function unitsToNumber(units: bigint): number {
  return Number(fromUnits(units));
}
