// /api/auth/* – next-auth (credentials sign-in, JWT cookies naming server-side sessions). Password
// attempts are rate limited before next-auth sees them (lib/auth/sign-in.ts).
import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { gateSignIn } from "@/lib/auth/sign-in";

const handler = NextAuth(authOptions);
type Ctx = { params: Promise<{ nextauth: string[] }> };

export const GET = (req: NextRequest, ctx: Ctx) => handler(req, ctx);
export const POST = async (req: NextRequest, ctx: Ctx) => (await gateSignIn(req)) ?? handler(req, ctx);
