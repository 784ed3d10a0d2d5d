import type { Metadata } from "next";
import { DeploymentsView } from "@/components/deployments/DeploymentsView";

export const metadata: Metadata = { title: "Deployments" };

export default function DeploymentsPage() {
  return <DeploymentsView />;
}
