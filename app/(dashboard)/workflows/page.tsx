import type { Metadata } from "next";
import { WorkflowsView } from "@/components/workflows/WorkflowsView";

export const metadata: Metadata = { title: "Workflows" };

export default function WorkflowsPage() {
  return <WorkflowsView />;
}
