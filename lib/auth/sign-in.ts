// Password sign-in: the credentials check and its rate limits. Every attempt counts against the
// account (FLOWGATE_RATE_LIMIT_SIGNIN_ACCOUNT) and the client address (…_SIGNIN_IP) before the
// password is looked at, so a burst of parallel guesses cannot slip past the limit; a correct
// password clears the account's count and takes back its own hit on the address (only its own: one
// valid account must not reset an attacker's address). Over a limit → 429 with Retry-After, whether
// or not the password is right.
import bcrypt from "bcryptjs";
import { db } from "@/lib/db";
import { limitFor, hit, rateLimited, reset, unhit } from "@/lib/security/rate-limit";
import { clientIp } from "@/lib/security/client-ip";

const normalizeEmail = (email: unknown) => (typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : "");
const accountBucket = (email: string) => `signin:acct:${email}`;

// Compared against when the account does not exist, so both answers take one bcrypt's time.
const DUMMY_HASH = bcrypt.hashSync("flowgate-no-such-user", 10);

type HeaderBag = { headers: Record<string, string | string[] | undefined> };
const ipLimit = (req: Request | HeaderBag) => limitFor("FLOWGATE_RATE_LIMIT_SIGNIN_IP", `signin:ip:${clientIp(req)}`);

/** The user whose password this is, or null. `req` (the sign-in request) for its address's count. */
export async function checkPassword(emailIn: unknown, password: unknown, req?: HeaderBag) {
  const email = normalizeEmail(emailIn);
  if (!email || typeof password !== "string" || !password) return null;
  const user = await db().user.findUnique({ where: { email } });
  const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) return null;
  await reset([accountBucket(email)]);
  if (req?.headers) await unhit([ipLimit(req)]);
  return user;
}

const isCredentialsCallback = (req: Request) =>
  req.method === "POST" && /\/api\/auth\/callback\/credentials\/?$/.test(new URL(req.url).pathname);

/** Count a sign-in attempt; a 429 response when the account or the address is over its limit. */
export async function gateSignIn(req: Request): Promise<Response | null> {
  if (!isCredentialsCallback(req)) return null;
  let email = "";
  try {
    const type = req.headers.get("content-type") ?? "";
    const text = await req.clone().text();
    const body = type.includes("application/json") ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
    email = normalizeEmail(body.email);
  } catch {
    // next-auth answers a malformed body itself; it still counts against the address.
  }
  const limits = [ipLimit(req)];
  if (email) limits.push(limitFor("FLOWGATE_RATE_LIMIT_SIGNIN_ACCOUNT", accountBucket(email)));
  const verdict = await hit(limits);
  if (verdict.ok) return null;
  const err = rateLimited(verdict, "sign-in attempts");
  // `url` keeps next-auth's client (signIn with redirect: false) working: it reads `error` from it.
  const signinUrl = new URL("/signin", req.url);
  signinUrl.searchParams.set("error", err.message);
  return Response.json(
    { ...err.toBody(), url: signinUrl.toString() },
    { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}
