import { redirect } from "next/navigation";

// The dashboard opens on the workflows list: it is where every deployment starts.
export default function DashboardHome() {
  redirect("/workflows");
}
