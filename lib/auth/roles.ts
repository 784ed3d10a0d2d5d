// Who may do what. Route handlers declare a permission; roles map to permission sets here only.
export const ROLES = ["admin", "engineer", "oncall", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | "read"
  | "runs:write"
  | "workflows:write"
  | "deployments:write"
  | "endpoints:write"
  | "endpoints:operate"
  | "audit:read"
  | "admin";

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ["read", "runs:write", "workflows:write", "deployments:write", "endpoints:write", "endpoints:operate", "audit:read", "admin"],
  engineer: ["read", "runs:write", "workflows:write", "deployments:write", "endpoints:write", "endpoints:operate"],
  oncall: ["read", "runs:write", "endpoints:operate", "audit:read"],
  viewer: ["read"],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role]?.includes(permission) ?? false;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
