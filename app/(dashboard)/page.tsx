import type { Metadata } from "next";
import { OverviewView } from "@/components/oncall/OverviewView";

export const metadata: Metadata = { title: "Overview" };

// The dashboard's home: what needs attention now (sign-in still lands on the workflows list).
export default function DashboardHome() {
  return <OverviewView />;
}
