// Who is calling: a signed-in browser user (next-auth) or an API key. Server-only.
import { getServerSession } from "next-auth";
import { authOptions } from "./options";
import { isRole, type Role } from "./roles";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const u = session?.user as { id?: string; email?: string | null; name?: string | null; role?: unknown } | undefined;
  if (!u?.id || !isRole(u.role)) return null;
  return { id: u.id, email: u.email ?? "", name: u.name ?? u.email ?? "", role: u.role };
}
