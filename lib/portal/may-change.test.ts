import { describe, expect, it } from "vitest";
import { ORGANIZATION_RIGHTS, PORTAL_RIGHTS, type PortalRight, type Role } from "@/lib/permissions/catalog";
import type { PortalContext } from "@/lib/workspaces/context";
import { mayChange } from "./define-action";

const context = (role: Role, archived: boolean) => ({ role, workspace: { archived } }) as PortalContext;

describe("which change buttons a page offers", () => {
  it("offers a right's buttons to the roles that hold it, in a workspace that is not archived", () => {
    for (const right of Object.keys(PORTAL_RIGHTS) as PortalRight[]) {
      for (const role of ["owner", "admin", "developer", "billing", "viewer"] as Role[]) {
        expect(mayChange(context(role, false), right), `${role} ${right}`).toBe((PORTAL_RIGHTS[right] as readonly Role[]).includes(role));
      }
    }
  });

  it("offers none of the workspace's change buttons while it is archived, only the organization's", () => {
    for (const right of Object.keys(PORTAL_RIGHTS) as PortalRight[]) {
      expect(mayChange(context("owner", true), right), right).toBe(ORGANIZATION_RIGHTS.includes(right));
    }
    expect(mayChange(context("owner", true), "keys.page")).toBe(false);
    expect(mayChange(context("owner", true), "members.manage")).toBe(true);
  });
});
