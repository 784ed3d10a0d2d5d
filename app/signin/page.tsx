import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "./SignInForm";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <Logo />
          <h1 className="mt-4 text-xl font-semibold tracking-tight text-zinc-900">Sign in to Flowgate</h1>
          <p className="mt-1 text-sm text-zinc-500">ComfyUI workflows as versioned, reliable APIs.</p>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
          <Suspense>
            <SignInForm />
          </Suspense>
        </div>
        <p className="mt-6 text-center text-xs text-zinc-500">
          First run? The admin password is in <code className="rounded bg-zinc-100 px-1">.data/admin-password</code>.
        </p>
      </div>
    </main>
  );
}

function Logo() {
  return (
    <div className="flex size-10 items-center justify-center rounded-lg bg-zinc-900 text-white shadow-sm">
      <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
        <circle cx="5" cy="6" r="2" />
        <circle cx="5" cy="18" r="2" />
        <circle cx="19" cy="12" r="2" />
        <path d="M7 6c5 0 5 6 10 6M7 18c5 0 5-6 10-6" />
      </svg>
    </div>
  );
}
