"use client";
// Left navigation with the signed-in user, their role and sign out.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import type { ReactNode } from "react";
import type { Role } from "@/components/api";
import { cn } from "@/components/ui";
import { can } from "@/lib/auth/roles";

const nav: { href: string; label: string; icon: ReactNode }[] = [
  { href: "/", label: "Overview", icon: <path d="M3 12h4l3-8 4 16 3-8h4" /> },
  {
    href: "/workflows",
    label: "Workflows",
    icon: <path d="M4 6h4v4H4zM16 6h4v4h-4zM10 15h4v4h-4zM8 8h8M6 10v3h6v2M18 10v3h-6" />,
  },
  {
    href: "/deployments",
    label: "Deployments",
    icon: <path d="M12 3 3 8l9 5 9-5-9-5ZM3 13l9 5 9-5M3 17.5l9 5 9-5" />,
  },
  { href: "/runs", label: "Runs", icon: <path d="M5 4v16l14-8L5 4Z" /> },
  {
    href: "/endpoints",
    label: "Endpoints",
    icon: <path d="M4 5h16v5H4zM4 14h16v5H4zM8 7.5h.01M8 16.5h.01" />,
  },
  {
    href: "/keys",
    label: "API keys",
    icon: <path d="M14.5 9.5a4 4 0 1 0-3.2 3.9L13 15h2v2h2v2h3v-3l-5.6-5.6a4 4 0 0 0 .1-.9ZM9 8h.01" />,
  },
  { href: "/alerts", label: "Alerts", icon: <path d="M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2ZM10 20h4" /> },
  { href: "/audit", label: "Audit log", icon: <path d="M9 5h10M9 12h10M9 19h10M5 5h.01M5 12h.01M5 19h.01" /> },
  { href: "/analytics", label: "Analytics", icon: <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" /> },
];

const roleLabel: Record<Role, string> = { admin: "Admin", engineer: "Engineer", oncall: "On-call", viewer: "Viewer" };

export function Sidebar({ user }: { user: { email: string; name?: string | null; role: Role } }) {
  const pathname = usePathname();
  const display = user.name || user.email;
  return (
    <aside className="fixed inset-y-0 left-0 z-30 flex w-56 flex-col border-r border-zinc-200 bg-white">
      <Link href="/workflows" className="flex h-14 items-center gap-2.5 px-4">
        <span className="flex size-7 items-center justify-center rounded-md bg-zinc-900 text-white">
          <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden>
            <circle cx="5" cy="6" r="2" />
            <circle cx="5" cy="18" r="2" />
            <circle cx="19" cy="12" r="2" />
            <path d="M7 6c5 0 5 6 10 6M7 18c5 0 5-6 10-6" />
          </svg>
        </span>
        <span className="text-sm font-semibold tracking-tight text-zinc-900">Flowgate</span>
      </Link>
      <nav className="flex-1 space-y-0.5 px-2 py-2" aria-label="Main">
        {nav.filter((item) => item.href !== "/audit" || can(user.role, "audit:read")).map((item) => {
          const active = pathname === item.href || (item.href !== "/" && pathname.startsWith(item.href + "/"));
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors",
                active ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900",
              )}
            >
              <svg
                viewBox="0 0 24 24"
                className={cn("size-4", active ? "text-zinc-900" : "text-zinc-400")}
                fill="none"
                stroke="currentColor"
                strokeWidth="1.8"
                strokeLinecap="round"
                strokeLinejoin="round"
                aria-hidden
              >
                {item.icon}
              </svg>
              {item.label}
            </Link>
          );
        })}
      </nav>
      <div className="border-t border-zinc-200 p-3">
        <div className="flex items-center gap-2.5">
          <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold uppercase text-indigo-700">
            {display.slice(0, 2)}
          </span>
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-medium text-zinc-900" title={user.email}>
              {display}
            </p>
            <p className="text-xs text-zinc-500" data-testid="user-role">
              {roleLabel[user.role] ?? user.role}
            </p>
          </div>
        </div>
        <button
          type="button"
          onClick={() => signOut({ callbackUrl: "/signin" })}
          className="mt-3 flex w-full items-center justify-center gap-1.5 rounded-md border border-zinc-200 px-2 py-1.5 text-xs font-medium text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900"
        >
          Sign out
        </button>
      </div>
    </aside>
  );
}
