import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALL_PERMISSIONS, NAMED_PERMISSIONS, WILDCARD, type Permission } from "@/lib/permissions/catalog";
import { createKeyFormSchema, editKeyFormSchema, rollKeyFormSchema, type CreateKeyFormValues, type EditKeyFormValues } from "./form-schema";
import { createKeyInputSchema, normalizePermissions, updateKeyInputSchema } from "./schemas";

const DAY_MS = 24 * 3600 * 1000;

function createForm(overrides: Partial<CreateKeyFormValues> = {}): CreateKeyFormValues {
  return {
    name: "  Production sender  ",
    access: "restricted",
    permissions: ["sms.read", "sms.send"],
    offTheRecord: false,
    postbackUrl: "",
    allowedCidrs: [],
    expiry: "never",
    expiresOn: "",
    testMode: false,
    hmac: false,
    ...overrides,
  };
}

function editForm(overrides: Partial<EditKeyFormValues> = {}): EditKeyFormValues {
  return {
    id: "key_abc",
    name: "Renamed",
    access: "restricted",
    permissions: ["balance.read"],
    offTheRecord: true,
    postbackUrl: " https://example.com/hook ",
    allowedCidrs: [{ value: "10.1.2.3/8" }],
    expiry: "keep",
    expiresOn: "",
    ...overrides,
  };
}

/** Field path → messages, the way the form shows them. */
function messagesByPath(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  expect(result.success).toBe(false);
  const map: Record<string, string[]> = {};
  for (const issue of result.error!.issues) (map[issue.path.join(".")] ??= []).push(issue.message);
  return map;
}

const tomorrowDay = () => new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10);

describe("createKeyFormSchema", () => {
  it("transforms a valid form into the service input", () => {
    const out = createKeyFormSchema.parse(
      createForm({
        testMode: true,
        hmac: true,
        offTheRecord: true,
        postbackUrl: "  https://example.com/dlr  ",
        allowedCidrs: [{ value: " 10.1.2.3/8 " }, { value: "192.0.2.7" }, { value: "2001:DB8::1/32" }],
      }),
    );
    expect(out).toEqual({
      name: "Production sender",
      permissions: ["sms.send", "sms.read"],
      offTheRecord: true,
      postbackUrl: "https://example.com/dlr",
      allowedCidrs: ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"],
      expiresAt: null,
      mode: "test",
      hmac: true,
    });
  });

  it("takes the mode from testMode", () => {
    expect(createKeyFormSchema.parse(createForm({ testMode: false })).mode).toBe("live");
    expect(createKeyFormSchema.parse(createForm({ testMode: true })).mode).toBe("test");
  });

  it("gives full access as * whatever permissions are checked", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...NAMED_PERMISSIONS)), (checked) => {
        expect(createKeyFormSchema.parse(createForm({ access: "full", permissions: checked })).permissions).toEqual([WILDCARD]);
      }),
    );
  });

  it("normalizes restricted permissions to catalog order without duplicates", () => {
    const out = createKeyFormSchema.parse(createForm({ permissions: ["keys.read", "sms.send", "keys.read"] }));
    expect(out.permissions).toEqual(["sms.send", "keys.read"]);
  });

  it("turns an empty postback URL into null", () => {
    expect(createKeyFormSchema.parse(createForm({ postbackUrl: "" })).postbackUrl).toBeNull();
    expect(createKeyFormSchema.parse(createForm({ postbackUrl: "   " })).postbackUrl).toBeNull();
  });

  it.each(["30", "60", "90"] as const)("expires a %s-day preset N days from now (within a second)", (days) => {
    const before = Date.now();
    const out = createKeyFormSchema.parse(createForm({ expiry: days, expiresOn: "garbage is ignored" }));
    const after = Date.now();
    const expected = Number(days) * DAY_MS;
    expect(out.expiresAt).toBeInstanceOf(Date);
    expect(out.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + expected - 1000);
    expect(out.expiresAt!.getTime()).toBeLessThanOrEqual(after + expected + 1000);
  });

  it("expires a custom date at 00:00 UTC that day", () => {
    const day = tomorrowDay();
    const out = createKeyFormSchema.parse(createForm({ expiry: "custom", expiresOn: day }));
    expect(out.expiresAt!.toISOString()).toBe(`${day}T00:00:00.000Z`);
    expect(createKeyFormSchema.parse(createForm({ expiry: "custom", expiresOn: "2999-02-28" })).expiresAt).toEqual(
      new Date(Date.UTC(2999, 1, 28)),
    );
  });

  it("never expires when expiry is never (expiresOn ignored)", () => {
    expect(createKeyFormSchema.parse(createForm({ expiry: "never", expiresOn: "1999-01-01" })).expiresAt).toBeNull();
  });

  it("refuses custom dates that are malformed, impossible or not in the future", () => {
    const message = (expiresOn: string) =>
      messagesByPath(createKeyFormSchema.safeParse(createForm({ expiry: "custom", expiresOn }))).expiresOn;
    expect(message("")).toEqual(["Enter a date (YYYY-MM-DD)"]);
    expect(message("2999-02-30")).toEqual(["Enter a date (YYYY-MM-DD)"]);
    expect(message("29990101")).toEqual(["Enter a date (YYYY-MM-DD)"]);
    expect(message("2000-01-01")).toEqual(["Expiry must be in the future"]);
    // Today 00:00 UTC has already passed.
    expect(message(new Date().toISOString().slice(0, 10))).toEqual(["Expiry must be in the future"]);
  });

  it("reports every broken field in one submit", () => {
    const errors = messagesByPath(
      createKeyFormSchema.safeParse(
        createForm({
          name: "   ",
          access: "restricted",
          permissions: [],
          allowedCidrs: [{ value: "10.0.0.1/33" }],
          postbackUrl: "ftp://example.com",
          expiry: "custom",
          expiresOn: "not a date",
        }),
      ),
    );
    expect(errors).toEqual({
      name: ["Name is required"],
      permissions: ["Choose at least one permission"],
      "allowedCidrs.0.value": ["prefix length must be 0–32 for IPv4"],
      postbackUrl: ["Postback URL must be an http or https URL"],
      expiresOn: ["Enter a date (YYYY-MM-DD)"],
    });
  });

  it("reports an unknown permission on the list, not on an element index", () => {
    const errors = messagesByPath(createKeyFormSchema.safeParse(createForm({ permissions: ["sms.send", "sms.delete", "*"] })));
    expect(errors).toEqual({ permissions: ["Unknown permission: sms.delete, *"] });
  });

  it("never lets a restricted form smuggle * through the permission list", () => {
    expect(createKeyFormSchema.safeParse(createForm({ access: "restricted", permissions: [WILDCARD] })).success).toBe(false);
  });

  it("refuses more CIDR rows than allowed", () => {
    const rows = Array.from({ length: 101 }, (_, i) => ({ value: `10.0.${Math.floor(i / 256)}.${i % 256}` }));
    expect(messagesByPath(createKeyFormSchema.safeParse(createForm({ allowedCidrs: rows }))).allowedCidrs).toEqual(["At most 100 CIDRs"]);
  });

  it("produces output the service's create schema accepts unchanged", () => {
    const out = createKeyFormSchema.parse(
      createForm({
        expiry: "30",
        allowedCidrs: [{ value: "::ffff:10.0.0.1/104" }],
        postbackUrl: "http://h.test/x",
        dailySpendCap: "12.5",
        allowedCountries: "gb, FR",
      }),
    );
    expect(out).toMatchObject({ dailySpendCap: "12.50000", allowedCountries: ["FR", "GB"] });
    expect(createKeyInputSchema.parse(out)).toEqual(out);
  });

  it("reads the limits (ours): an empty cap is none, empty countries any; a bad amount or code is refused by its field", () => {
    expect(createKeyFormSchema.parse(createForm({ dailySpendCap: " ", allowedCountries: "" }))).toMatchObject({
      dailySpendCap: null,
      allowedCountries: [],
    });
    const bad = createKeyFormSchema.safeParse(createForm({ dailySpendCap: "-3", allowedCountries: "GB XX" }));
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["dailySpendCap", "allowedCountries"]));
  });
});

describe("editKeyFormSchema", () => {
  it('leaves expiresAt out of the patch when expiry is "keep"', () => {
    const out = editKeyFormSchema.parse(editForm({ expiry: "keep", expiresOn: "not looked at" }));
    expect(out).toEqual({
      id: "key_abc",
      patch: {
        name: "Renamed",
        permissions: ["balance.read"],
        offTheRecord: true,
        postbackUrl: "https://example.com/hook",
        allowedCidrs: ["10.0.0.0/8"],
      },
    });
    expect("expiresAt" in out.patch).toBe(false);
  });

  it('puts expiresAt: null in the patch when expiry is "never"', () => {
    const out = editKeyFormSchema.parse(editForm({ expiry: "never" }));
    expect("expiresAt" in out.patch).toBe(true);
    expect(out.patch.expiresAt).toBeNull();
  });

  it("puts the chosen date in the patch for a custom expiry", () => {
    const day = tomorrowDay();
    const out = editKeyFormSchema.parse(editForm({ expiry: "custom", expiresOn: day }));
    expect(out.patch.expiresAt!.toISOString()).toBe(`${day}T00:00:00.000Z`);
  });

  it("never carries mode or signing in the patch", () => {
    const out = editKeyFormSchema.parse(editForm({ access: "full" }));
    expect(out.patch.permissions).toEqual([WILDCARD]);
    expect(Object.keys(out.patch).sort()).toEqual(["allowedCidrs", "name", "offTheRecord", "permissions", "postbackUrl"]);
  });

  it("produces a patch the service's update schema accepts unchanged", () => {
    for (const expiry of ["keep", "never", "90"] as const) {
      const { patch } = editKeyFormSchema.parse(editForm({ expiry }));
      expect(updateKeyInputSchema.parse(patch)).toEqual(patch);
    }
  });

  it("reports every broken field in one submit", () => {
    const errors = messagesByPath(
      editKeyFormSchema.safeParse(
        editForm({
          name: "",
          permissions: [],
          allowedCidrs: [{ value: "010.0.0.1" }],
          postbackUrl: "not a url",
          expiry: "custom",
          expiresOn: "2000-01-01",
        }),
      ),
    );
    expect(Object.keys(errors).sort()).toEqual(["allowedCidrs.0.value", "expiresOn", "name", "permissions", "postbackUrl"].sort());
    expect(errors.expiresOn).toEqual(["Expiry must be in the future"]);
  });
});

describe("rollKeyFormSchema", () => {
  it.each([0, 3600, 86_400, 604_800])("accepts a grace of %s seconds", (graceSeconds) => {
    expect(rollKeyFormSchema.parse({ id: "key_abc", graceSeconds })).toEqual({ id: "key_abc", graceSeconds });
  });

  it.each([null, "", "0", 5, -1, 3600.5, undefined, Number.NaN, Infinity])("refuses a grace of %j (no coercion to 0)", (graceSeconds) => {
    const result = rollKeyFormSchema.safeParse({ id: "key_abc", graceSeconds });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["graceSeconds", "Choose how long the old key keeps working"],
    ]);
  });

  it("accepts no number other than the four choices", () => {
    fc.assert(
      fc.property(fc.double(), (n) => {
        const ok = rollKeyFormSchema.safeParse({ id: "key_abc", graceSeconds: n }).success;
        expect(ok).toBe([0, 3600, 86_400, 604_800].includes(n));
      }),
    );
  });
});

describe("service input schemas", () => {
  it("keeps absent fields absent in an update (no defaults sneak in)", () => {
    expect(updateKeyInputSchema.parse({ name: "x" })).toEqual({ name: "x" });
    expect(Object.keys(updateKeyInputSchema.parse({ name: "x" }))).toEqual(["name"]);
    expect(updateKeyInputSchema.parse({})).toEqual({});
  });

  it("fills the create defaults", () => {
    expect(createKeyInputSchema.parse({ name: "k", permissions: ["sms.send"], mode: "live" })).toEqual({
      name: "k",
      permissions: ["sms.send"],
      mode: "live",
      hmac: false,
      offTheRecord: false,
      allowedCidrs: [],
      postbackUrl: null,
      expiresAt: null,
      dailySpendCap: null,
      allowedCountries: [],
    });
  });

  it("refuses an empty or unknown permission list on create", () => {
    expect(createKeyInputSchema.safeParse({ name: "k", permissions: [], mode: "live" }).success).toBe(false);
    expect(createKeyInputSchema.safeParse({ name: "k", permissions: ["sms.nope"], mode: "live" }).success).toBe(false);
  });
});

describe("normalizePermissions", () => {
  const listArb: fc.Arbitrary<Permission[]> = fc.array(fc.constantFrom(...ALL_PERMISSIONS), { maxLength: 20 });

  it("lets * alone win over anything beside it", () => {
    expect(normalizePermissions(["sms.send", WILDCARD, "keys.read"])).toEqual([WILDCARD]);
    fc.assert(
      fc.property(listArb, listArb, (a, b) => {
        expect(normalizePermissions([...a, WILDCARD, ...b])).toEqual([WILDCARD]);
      }),
    );
  });

  it("drops duplicates and keeps catalog order", () => {
    expect(normalizePermissions(["keys.write", "sms.read", "keys.write", "sms.send"])).toEqual(["sms.send", "sms.read", "keys.write"]);
    fc.assert(
      fc.property(listArb, (list) => {
        const out = normalizePermissions(list);
        if (list.includes(WILDCARD)) return;
        expect(new Set(out)).toEqual(new Set(list));
        expect(out).toEqual(NAMED_PERMISSIONS.filter((p) => list.includes(p)));
        expect(normalizePermissions(out)).toEqual(out);
      }),
    );
  });
});
