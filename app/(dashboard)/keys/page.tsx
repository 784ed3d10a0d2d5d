import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { KeysView } from "@/components/keys/KeysView";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  return <KeysView role={user.role} />;
}
