"use client";
import { getSession, signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { Button, ErrorCallout, Field, Input } from "@/components/ui";

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until React has hydrated, a click would submit the plain HTML form: keep the button disabled.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      let res = await signIn("credentials", { email, password, redirect: false });
      // next-auth reports a refused CSRF token only in the returned url (?csrf=true), with no error:
      // on a cold dev server a slow first /api/auth request can replace the csrf cookie after the
      // form fetched its token. The cookie has settled by now, so try once more.
      if (res?.ok && !res.error && refusedCsrf(res.url)) res = await signIn("credentials", { email, password, redirect: false });
      if (res?.ok && !res.error && (refusedCsrf(res.url) || !(await getSession()))) {
        setError("Signing in did not start a session. Reload the page and try again.");
        return;
      }
      if (!res || res.error) {
        setError(
          res?.error === "CredentialsSignin" || !res
            ? "That email and password do not match an account. Check them and try again."
            : res.error,
        );
        return;
      }
      const next = params.get("callbackUrl") || params.get("next") || "/workflows";
      router.replace(next.startsWith("/") && !next.startsWith("//") ? next : "/workflows");
      router.refresh();
    } catch {
      setError("Could not reach the server. Check that Flowgate is running.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} method="post" className="space-y-4">
      {error && <ErrorCallout error={error} />}
      <Field label="Email" htmlFor="email">
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder="you@company.com"
        />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <Button type="submit" variant="primary" className="w-full" loading={pending} disabled={!hydrated}>
        Sign in
      </Button>
    </form>
  );
}

function refusedCsrf(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    return new URL(url, window.location.href).searchParams.has("csrf");
  } catch {
    return false;
  }
}
