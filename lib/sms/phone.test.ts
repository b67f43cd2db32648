import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countryName, E164, isValidSenderId, parseRecipient } from "./phone";

describe("E164", () => {
  it("matches a plus, a non-zero digit and 7–15 digits in all", () => {
    expect(E164.test("+1234567")).toBe(true);
    expect(E164.test("+123456789012345")).toBe(true);
    expect(E164.test("+123456")).toBe(false);
    expect(E164.test("+1234567890123456")).toBe(false);
    expect(E164.test("+0123456789")).toBe(false);
    expect(E164.test("441234567890")).toBe(false);
    expect(E164.test("+44 20 7946 0958")).toBe(false);
    expect(E164.test("+44-20-7946-0958")).toBe(false);
    expect(E164.test("+441234567890\n")).toBe(false);
  });
});

describe("parseRecipient", () => {
  it("accepts possible E.164 numbers and names their country", () => {
    expect(parseRecipient("+441234567890")).toEqual({ ok: true, e164: "+441234567890", country: "GB" });
    expect(parseRecipient("+14155551234")).toEqual({ ok: true, e164: "+14155551234", country: "US" });
    expect(parseRecipient("+4915112345678")).toEqual({ ok: true, e164: "+4915112345678", country: "DE" });
    expect(parseRecipient("+61412345678")).toEqual({ ok: true, e164: "+61412345678", country: "AU" });
  });

  it("accepts the sandbox's magic numbers as US numbers", () => {
    for (const n of ["+15005550001", "+15005550002", "+15005550003", "+15005550004", "+15005550005", "+15005550006"]) {
      expect(parseRecipient(n)).toEqual({ ok: true, e164: n, country: "US" });
    }
  });

  it("keeps the number as sent", () => {
    // libphonenumber would drop the stray trunk 0; we echo the client's spelling.
    expect(parseRecipient("+4407911123456")).toMatchObject({ ok: true, e164: "+4407911123456" });
  });

  it("gives a null country for non-geographic calling codes", () => {
    // +800: International Freephone, 8 digits after the code.
    expect(parseRecipient("+80012345678")).toEqual({ ok: true, e164: "+80012345678", country: null });
  });

  it("refuses anything that is not E.164 as sent", () => {
    for (const v of [
      "",
      "+",
      "441234567890",
      "+44 20 7946 0958",
      "+44-20-7946-0958",
      "+44(20)79460958",
      " +441234567890",
      "+0441234567890",
      "＋441234567890",
    ]) {
      expect(parseRecipient(v), v).toEqual({ ok: false });
    }
  });

  it("refuses E.164-shaped numbers libphonenumber finds impossible", () => {
    expect(parseRecipient("+12345678")).toEqual({ ok: false }); // +1 needs 10 national digits
    expect(parseRecipient("+999123456789")).toEqual({ ok: false }); // unassigned calling code
    expect(parseRecipient("+4412")).toEqual({ ok: false }); // too short for E164 anyway
    expect(parseRecipient("+441234567890123")).toEqual({ ok: false }); // too long for +44
  });

  it("accepts only strings that match E164", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseRecipient(s);
        if (r.ok) expect(E164.test(s)).toBe(true);
      }),
    );
  });
});

describe("countryName", () => {
  it("gives English short names", () => {
    expect(countryName("GB")).toBe("United Kingdom");
    expect(countryName("US")).toBe("United States");
    expect(countryName("DE")).toBe("Germany");
    expect(countryName("de")).toBe("Germany");
  });

  it("falls back to the code for malformed codes", () => {
    expect(countryName("not a code")).toBe("not a code");
    expect(countryName("")).toBe("");
  });
});

describe("isValidSenderId", () => {
  it("accepts 3–11 ASCII alphanumerics starting with a letter", () => {
    for (const s of ["Acme", "ABC", "A1B2C3D4E5F", "acme2024"]) expect(isValidSenderId(s), s).toBe(true);
  });

  it("accepts an E.164 number", () => {
    expect(isValidSenderId("+14155551234")).toBe(true);
  });

  it("refuses everything else", () => {
    for (const s of ["", "AB", "ABCDEFGHIJKL", "1ABC", "Acme-1", "Acme 1", "Ácme", "+44 20 7946 0958", "14155551234", "+0123456789"]) {
      expect(isValidSenderId(s), s).toBe(false);
    }
  });
});
