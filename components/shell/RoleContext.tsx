"use client";
// The signed-in user's role, for hiding what they may not do (the API refuses it anyway: 403).
import { createContext, useContext, type ReactNode } from "react";
import { can, type Permission, type Role } from "@/lib/auth/roles";

const RoleContext = createContext<Role>("viewer");

export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

export function useRole(): Role {
  return useContext(RoleContext);
}

/** May the signed-in user do this? (buttons for on-call actions check `endpoints:operate`) */
export function useCan(permission: Permission): boolean {
  return can(useContext(RoleContext), permission);
}
