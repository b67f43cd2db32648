import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALL_PERMISSIONS,
  NAMED_PERMISSIONS,
  PERMISSION_TABLE,
  PORTAL_RIGHTS,
  PRESETS,
  RESOURCES,
  ROLES,
  ROLE_CEILINGS,
  WILDCARD,
  hasPortalRight,
  type NamedPermission,
  type Permission,
  type Resource,
  type Role,
} from "./catalog";
import {
  beyond,
  ceilingOf,
  disabledReason,
  effective,
  expand,
  grants,
  isWithin,
  levelOf,
  levelsOf,
  permissionsForLevel,
  summarize,
  withLevel,
  type ResourceLevel,
} from "./math";

const resources: Resource[] = RESOURCES.map((r) => r.resource);
const resourceOf = (p: NamedPermission): Resource => PERMISSION_TABLE.find((e) => e.permission === p)!.resource;
const inCatalogOrder = (list: readonly NamedPermission[]) =>
  list.every((p, i) => i === 0 || NAMED_PERMISSIONS.indexOf(list[i - 1]) < NAMED_PERMISSIONS.indexOf(p));

// Random permission sets: any subset of the catalog (in any order, duplicates allowed), sometimes with `*`.
const namedSetArb = fc.array(fc.constantFrom(...NAMED_PERMISSIONS), { maxLength: 14 });
const permissionSetArb: fc.Arbitrary<Permission[]> = fc.array(fc.constantFrom(...ALL_PERMISSIONS), { maxLength: 14 });
const resourceArb = fc.constantFrom(...resources);
const roleArb = fc.constantFrom(...ROLES);

describe("presets", () => {
  const preset = (label: string) => PRESETS.find((p) => p.label === label)!;

  it("only ever contain permissions from the catalog", () => {
    for (const p of PRESETS) {
      expect(p.permissions.length).toBeGreaterThan(0);
      for (const permission of p.permissions) expect(NAMED_PERMISSIONS).toContain(permission);
    }
  });

  it("have unique ids and labels", () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    expect(new Set(PRESETS.map((p) => p.label)).size).toBe(PRESETS.length);
  });

  it('make "Full API access" every named permission (and never the wildcard)', () => {
    expect([...preset("Full API access").permissions]).toEqual([...NAMED_PERMISSIONS]);
    expect(preset("Full API access").permissions).not.toContain(WILDCARD);
  });

  it.each([
    ["Send + track delivery", ["sms.send", "sms.read"]],
    ["Send only", ["sms.send"]],
    ["Dashboard / monitoring", ["sms.read", "balance.read"]],
    ["Webhook management", ["webhooks.read", "webhooks.write"]],
  ])('make "%s" exactly %j (docs/portal.md)', (label, permissions) => {
    expect([...preset(label).permissions].sort()).toEqual([...permissions].sort());
  });
});

describe("role ceilings", () => {
  it("give owners and admins the wildcard", () => {
    expect(ceilingOf("owner")).toEqual([WILDCARD]);
    expect(ceilingOf("admin")).toEqual([WILDCARD]);
  });

  it("give developers exactly sms.send, sms.read, webhooks.read, webhooks.write, keys.read", () => {
    expect([...ceilingOf("developer")].sort()).toEqual(["sms.send", "sms.read", "webhooks.read", "webhooks.write", "keys.read"].sort());
  });

  it("give billing exactly balance.read, pricing.read, payments.read", () => {
    expect([...ceilingOf("billing")].sort()).toEqual(["balance.read", "pricing.read", "payments.read"].sort());
  });

  it("give viewers nothing", () => {
    expect(ceilingOf("viewer")).toEqual([]);
  });

  it("only ever name permissions from the catalog", () => {
    for (const role of ROLES) for (const p of ROLE_CEILINGS[role]) expect(ALL_PERMISSIONS).toContain(p);
  });

  // Expected answer of isWithin([permission], ceilingOf(role)), written out by hand.
  const D = ["sms.send", "sms.read", "webhooks.read", "webhooks.write", "keys.read"];
  const B = ["balance.read", "pricing.read", "payments.read"];
  const expectedWithin = (role: Role, permission: Permission): boolean => {
    if (role === "owner" || role === "admin") return true;
    if (permission === WILDCARD) return false;
    if (role === "developer") return D.includes(permission);
    if (role === "billing") return B.includes(permission);
    return false;
  };
  const table = ROLES.flatMap((role) =>
    ALL_PERMISSIONS.map((permission) => ({ role, permission, within: expectedWithin(role, permission) })),
  );

  it.each(table)("isWithin([$permission], $role ceiling) is $within", ({ role, permission, within }) => {
    expect(isWithin([permission], ceilingOf(role))).toBe(within);
    expect(beyond([permission], ceilingOf(role))).toEqual(within ? [] : [permission]);
  });

  it("never lets a ceiling without * grant *", () => {
    fc.assert(
      fc.property(namedSetArb, namedSetArb, (ceiling, extra) => {
        expect(isWithin([WILDCARD], ceiling)).toBe(false);
        expect(isWithin([...extra, WILDCARD], ceiling)).toBe(false);
        expect(beyond([...extra, WILDCARD], ceiling)).toContain(WILDCARD);
      }),
    );
  });

  it("makes beyond list exactly the refused permissions, in the order asked", () => {
    expect(beyond(["sms.send", "payments.read", "keys.write", "sms.read"], ceilingOf("developer"))).toEqual([
      "payments.read",
      "keys.write",
    ]);
    expect(beyond([WILDCARD, "balance.read", "sms.send"], ceilingOf("billing"))).toEqual([WILDCARD, "sms.send"]);
    expect(beyond([...ALL_PERMISSIONS], ceilingOf("viewer"))).toEqual([...ALL_PERMISSIONS]);
    expect(beyond([...ALL_PERMISSIONS], ceilingOf("owner"))).toEqual([]);
    fc.assert(
      fc.property(permissionSetArb, permissionSetArb, (wanted, ceiling) => {
        const refused = beyond(wanted, ceiling);
        const refusedOne = (p: Permission) => !isWithin([p], ceiling);
        expect(refused).toEqual(wanted.filter(refusedOne));
      }),
    );
  });
});

describe("permission set algebra (properties)", () => {
  it("isWithin(a, b) holds exactly when beyond(a, b) is empty", () => {
    fc.assert(
      fc.property(permissionSetArb, permissionSetArb, (a, b) => {
        expect(isWithin(a, b)).toBe(beyond(a, b).length === 0);
      }),
    );
  });

  it("never lets a key's effective rights exceed the ceiling", () => {
    fc.assert(
      fc.property(permissionSetArb, permissionSetArb, (key, ceiling) => {
        expect(isWithin(effective(key, ceiling), ceiling)).toBe(true);
      }),
    );
  });

  it("never lets a key's effective rights exceed its own permissions", () => {
    fc.assert(
      fc.property(permissionSetArb, permissionSetArb, (key, ceiling) => {
        expect(isWithin(effective(key, ceiling), key)).toBe(true);
      }),
    );
  });

  it("leaves a key's permissions unchanged under a * ceiling", () => {
    fc.assert(
      fc.property(permissionSetArb, (key) => {
        expect(effective(key, [WILDCARD])).toEqual(key);
      }),
    );
  });

  it("makes expand idempotent, duplicate-free and in catalog order", () => {
    fc.assert(
      fc.property(permissionSetArb, (held) => {
        const once = expand(held);
        expect(expand(once)).toEqual(once);
        expect(new Set(once).size).toBe(once.length);
        expect(inCatalogOrder(once)).toBe(true);
        if (held.includes(WILDCARD)) expect(once).toEqual([...NAMED_PERMISSIONS]);
        else expect(new Set(once)).toEqual(new Set(held));
      }),
    );
  });

  it("makes grants(held, p) agree with expand(held).includes(p)", () => {
    fc.assert(
      fc.property(permissionSetArb, fc.constantFrom(...NAMED_PERMISSIONS), (held, p) => {
        expect(grants(held, p)).toBe(expand(held).includes(p));
      }),
    );
  });
});

describe("levels ↔ permissions", () => {
  it("offers write only for resources that have a write permission", () => {
    for (const r of resources) {
      const hasWrite = PERMISSION_TABLE.some((p) => p.resource === r && p.level === "write");
      expect(levelsOf(r)).toEqual(hasWrite ? ["none", "read", "write"] : ["none", "read"]);
    }
    expect(levelsOf("balance")).toEqual(["none", "read"]);
    expect(levelsOf("pricing")).toEqual(["none", "read"]);
    expect(levelsOf("payments")).toEqual(["none", "read"]);
    expect(levelsOf("sms")).toEqual(["none", "read", "write"]);
  });

  it.each(resources)("round-trips every level of %s through permissionsForLevel and levelOf", (r) => {
    for (const level of levelsOf(r)) {
      const permissions = permissionsForLevel(r, level);
      expect(levelOf(permissions, r)).toBe(level);
      expect(permissions.every((p) => resourceOf(p) === r)).toBe(true);
      expect(withLevel([], r, level)).toEqual(permissions);
    }
    expect(permissionsForLevel(r, "none")).toEqual([]);
  });

  it.each(resources)("makes write include read for %s", (r) => {
    if (!levelsOf(r).includes("write")) return;
    const read = permissionsForLevel(r, "read");
    const write = permissionsForLevel(r, "write");
    expect(read.length).toBeGreaterThan(0);
    for (const p of read) expect(write).toContain(p);
    expect(write.length).toBeGreaterThan(read.length);
  });

  it("reads exactly the catalog's permissions per level", () => {
    expect(permissionsForLevel("sms", "read")).toEqual(["sms.read"]);
    expect(permissionsForLevel("sms", "write")).toEqual(["sms.send", "sms.read"]);
    expect(permissionsForLevel("webhooks", "write")).toEqual(["webhooks.read", "webhooks.write"]);
    expect(permissionsForLevel("keys", "read")).toEqual(["keys.read"]);
    expect(permissionsForLevel("balance", "read")).toEqual(["balance.read"]);
  });

  it("sees every resource at its top level under *", () => {
    for (const r of resources) expect(levelOf([WILDCARD], r)).toBe(levelsOf(r).at(-1));
  });

  it("leaves other resources unchanged when a resource is set to its current level", () => {
    fc.assert(
      fc.property(permissionSetArb, resourceArb, (x, r) => {
        const next = withLevel(x, r, levelOf(x, r));
        expect(levelOf(next, r)).toBe(levelOf(x, r));
        expect(next.filter((p) => resourceOf(p) !== r)).toEqual(expand(x).filter((p) => resourceOf(p) !== r));
        expect(inCatalogOrder(next)).toBe(true);
      }),
    );
  });

  it("changes only the chosen resource whatever level is set", () => {
    fc.assert(
      fc.property(
        permissionSetArb,
        resourceArb.chain((r) => fc.tuple(fc.constant(r), fc.constantFrom(...levelsOf(r)))),
        (x, [r, level]) => {
          const next = withLevel(x, r, level);
          expect(levelOf(next, r)).toBe(level);
          expect(next.filter((p) => resourceOf(p) === r)).toEqual(permissionsForLevel(r, level));
          for (const other of resources) if (other !== r) expect(levelOf(next, other)).toBe(levelOf(x, other));
          expect(inCatalogOrder(next)).toBe(true);
        },
      ),
    );
  });

  it('removes exactly that resource\'s permissions when set to "none"', () => {
    fc.assert(
      fc.property(permissionSetArb, resourceArb, (x, r) => {
        expect(withLevel(x, r, "none")).toEqual(expand(x).filter((p) => resourceOf(p) !== r));
      }),
    );
    expect(withLevel(["sms.send", "sms.read", "balance.read"], "sms", "none")).toEqual(["balance.read"]);
  });

  it("never produces the wildcard (withLevel spells out named permissions)", () => {
    fc.assert(
      fc.property(permissionSetArb, resourceArb, fc.constantFrom<ResourceLevel>("none", "read"), (x, r, level) => {
        expect(withLevel(x, r, level)).not.toContain(WILDCARD);
      }),
    );
  });
});

describe("summarize", () => {
  it('says "Full access" for *', () => {
    expect(summarize([WILDCARD])).toBe("Full access");
  });

  it('says "Restricted (n)" for n named permissions', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...NAMED_PERMISSIONS)), (list) => {
        expect(summarize(list)).toBe(`Restricted (${list.length})`);
      }),
    );
    expect(summarize(["sms.send", "sms.read"])).toBe("Restricted (2)");
  });
});

describe("disabledReason", () => {
  it("is null for everything within the role's ceiling", () => {
    for (const role of ROLES) {
      for (const p of ALL_PERMISSIONS) {
        if (isWithin([p], ceilingOf(role))) expect(disabledReason(p, role)).toBeNull();
        else expect(disabledReason(p, role)).toEqual(expect.any(String));
      }
    }
  });

  it("names the role and the permission when a named permission is beyond the role", () => {
    expect(disabledReason("payments.read", "developer")).toBe("Your role (Developer) does not include payments.read");
    expect(disabledReason("sms.send", "billing")).toBe("Your role (Billing) does not include sms.send");
    expect(disabledReason("sms.read", "viewer")).toBe("Your role (Viewer) does not include sms.read");
  });

  it.each(["developer", "billing", "viewer"] as const)("tells a %s that only Owners and Admins can grant *", (role) => {
    expect(disabledReason(WILDCARD, role)).toBe("Only Owners and Admins can create full-access keys");
  });

  it("never disables anything for owners and admins", () => {
    fc.assert(
      fc.property(fc.constantFrom<Role>("owner", "admin"), fc.constantFrom(...ALL_PERMISSIONS), (role, p) => {
        expect(disabledReason(p, role)).toBeNull();
      }),
    );
  });

  it("agrees with isWithin for every role and permission", () => {
    fc.assert(
      fc.property(roleArb, fc.constantFrom(...ALL_PERMISSIONS), (role, p) => {
        expect(disabledReason(p, role) === null).toBe(isWithin([p], ceilingOf(role)));
      }),
    );
  });
});

describe("hasPortalRight", () => {
  it.each(["owner", "admin", "developer", "billing"] as const)("lets a %s open the keys page", (role) => {
    expect(hasPortalRight(role, "keys.page")).toBe(true);
  });

  it("keeps viewers off the keys page", () => {
    expect(hasPortalRight("viewer", "keys.page")).toBe(false);
  });

  it("only names known roles", () => {
    for (const roles of Object.values(PORTAL_RIGHTS)) for (const r of roles) expect(ROLES).toContain(r);
  });
});

describe("database CHECK constraint", () => {
  const migrations = path.join(import.meta.dirname, "../../db/migrations");

  // The constraint's last definition across the migrations (in file order) is the one in force.
  function constraintPermissions(): string[] {
    const files = readdirSync(migrations)
      .filter((f) => f.endsWith(".sql"))
      .sort();
    expect(files).toContain("0000_init.sql");
    let last: string | undefined;
    for (const file of files) {
      const sql = readFileSync(path.join(migrations, file), "utf8");
      const pattern = /"api_keys_permissions_in_catalog"\s+CHECK\s*\(\s*permissions\s*<@\s*ARRAY\[([^\]]*)\]/gi;
      for (const match of sql.matchAll(pattern)) last = match[1];
    }
    expect(last, "api_keys_permissions_in_catalog CHECK not found in db/migrations").toBeDefined();
    return [...last!.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  }

  it("lists exactly ALL_PERMISSIONS, so a catalog change without a migration fails", () => {
    const sql = readFileSync(path.join(migrations, "0000_init.sql"), "utf8");
    expect(sql).toContain("api_keys_permissions_in_catalog");
    expect(constraintPermissions().sort()).toEqual([...ALL_PERMISSIONS].sort());
  });
});
