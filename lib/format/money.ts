/** An amount in the workspace currency, as the portal shows it: at least 2 decimals, up to the 5 of the money scale (per-message prices are fractions of a cent). */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 5 }).format(amount);
}
