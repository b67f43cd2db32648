// ISO 3166-1 alpha-2 codes the runtime knows (Intl), so a typo cannot block or allow nothing silently.
const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== undefined && code !== "ZZ";
}

/** "GB" → "United Kingdom"; the code itself when the runtime has no name for it. */
export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}
