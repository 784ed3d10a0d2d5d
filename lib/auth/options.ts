// next-auth (v4) configuration: email + password sign-in, JWT cookies that carry only a server-side
// Session id (lib/auth/session.ts). The role is read from the user row on every request; signing out
// revokes the Session row, so a copied cookie stops working at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { createSession, revokeSession, secureCookies, sessionUserById, SESSION_MAX_AGE_SECONDS } from "./session";
import { checkPassword } from "./sign-in";
import { log } from "@/lib/log";

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // Secure, `__Secure-`-prefixed cookies whenever NEXTAUTH_URL is https (also next-auth's default).
  useSecureCookies: secureCookies(),
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const user = await checkPassword(credentials?.email, credentials?.password, req as { headers: Record<string, string> });
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        // A fresh sign-in: a new server-side session; the token names it and nothing else of weight.
        return { sub: user.id, email: user.email, name: user.name, sid: await createSession(user.id) };
      }
      // Every read of the session (/api/auth/session) re-validates it: a revoked one clears the cookie.
      const live = await sessionUserById(token.sid);
      if (!live) throw new Error("session revoked or expired");
      return { ...token, email: live.email, name: live.name, role: live.role };
    },
    async session({ session, token }) {
      if (session.user) {
        (session.user as { id?: string }).id = token.sub;
        (session.user as { role?: unknown }).role = token.role;
      }
      return session;
    },
  },
  // next-auth's own messages as our JSON log lines. A revoked or expired session is an expected
  // outcome (the cookie is cleared and the user signs in again), not an error with a stack trace.
  logger: {
    error(code, metadata) {
      const message = metadata instanceof Error ? metadata.message : (metadata as { error?: Error })?.error?.message;
      if (code === "JWT_SESSION_ERROR") log.info("session cookie refused; cleared", { reason: message });
      else log.error("next-auth error", { code, message });
    },
    warn(code) {
      log.warn("next-auth warning", { code });
    },
    debug() {},
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeSession(token.sid);
    },
  },
};
