import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionUser } from "@/lib/auth/session";
import { Sidebar } from "@/components/shell/Sidebar";
import { RoleProvider } from "@/components/shell/RoleContext";
import { AlertsBanner } from "@/components/oncall/AlertsBanner";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  return (
    <RoleProvider role={user.role}>
    <div className="min-h-screen pl-56">
      <Sidebar user={{ email: user.email, name: user.name, role: user.role }} />
      <main className="min-w-0">
        <AlertsBanner />
        <div className="mx-auto max-w-7xl px-6 py-8 lg:px-10">{children}</div>
      </main>
    </div>
    </RoleProvider>
  );
}
