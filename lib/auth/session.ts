// Who is signed in to the dashboard. The next-auth JWT cookie only names a Session row (`sid`);
// every request re-reads that row and its user: a revoked session (sign-out) or an expired one is
// refused, and the role is the user row's current role, never the one the token was issued with.
// Server-only.
import { randomBytes } from "node:crypto";
import { decode } from "next-auth/jwt";
import { db } from "@/lib/db";
import { isRole, type Role } from "./roles";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
}

/** Sessions last this long from sign-in, however active. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** next-auth marks its cookies Secure and `__Secure-` when its URL is https (the same rule here). */
export function secureCookies(): boolean {
  return (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
}

export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

export async function createSession(userId: string): Promise<string> {
  const id = `ses_${randomBytes(24).toString("base64url")}`;
  await db().session.create({ data: { id, userId, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) } });
  return id;
}

export async function revokeSession(id: string): Promise<void> {
  await db().session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Sign a user out everywhere (e.g. after a password change or when an account is taken over). */
export async function revokeUserSessions(userId: string): Promise<number> {
  const r = await db().session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return r.count;
}

/** The live session `sid` names, with its user's current role; null when revoked, expired or gone. */
export async function sessionUserById(sid: unknown): Promise<SessionUser | null> {
  if (typeof sid !== "string" || !sid) return null;
  const s = await db().session.findUnique({ where: { id: sid }, include: { user: { select: { id: true, email: true, name: true, role: true } } } });
  if (!s || s.revokedAt || s.expiresAt.getTime() <= Date.now() || !isRole(s.user.role)) return null;
  return { id: s.user.id, email: s.user.email, name: s.user.name || s.user.email, role: s.user.role, sessionId: s.id };
}

/** The session token in a Cookie header (next-auth splits large tokens into `.0`, `.1`, … chunks). */
export function sessionTokenFromCookies(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  const name = sessionCookieName();
  const chunks: Array<[number, string]> = [];
  let whole: string | null = null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = decodeURIComponent(part.slice(eq + 1).trim());
    if (k === name) whole = v;
    else if (k.startsWith(`${name}.`) && /^\d+$/.test(k.slice(name.length + 1))) chunks.push([Number(k.slice(name.length + 1)), v]);
  }
  if (whole) return whole;
  if (!chunks.length) return null;
  return chunks.sort((a, b) => a[0] - b[0]).map((c) => c[1]).join("");
}

/** The signed-in user of a request (its Cookie header), or of the page being rendered. */
export async function getSessionUser(req?: Request): Promise<SessionUser | null> {
  let cookie: string | null;
  if (req) cookie = req.headers.get("cookie");
  else {
    const { headers } = await import("next/headers");
    cookie = (await headers()).get("cookie");
  }
  const token = sessionTokenFromCookies(cookie);
  if (!token) return null;
  const secret = process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  if (!secret) return null;
  const claims = await decode({ token, secret }).catch(() => null);
  return sessionUserById(claims?.sid);
}
