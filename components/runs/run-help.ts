import type { Run } from "../api";

/** What to do next after a run ended badly, from its error code and status. */
export function runNextStep(run: Run): string | null {
  const code = run.error?.code ?? "";
  if (code === "no_target")
    return "Every target endpoint of this deployment was drained while the run waited. Enable one on the Endpoints page, then retry the run.";
  if (run.status === "timed_out")
    return "The run exceeded the deployment's timeout. Raise timeoutSeconds on the deployment, or check the endpoint's queue on the Endpoints page.";
  if (run.status === "canceled") return "The run was canceled. Start it again when ready.";
  if (/input|validation|invalid|value_/i.test(code))
    return "An input was refused by the workflow. Adjust the parameter named above and run again.";
  if (/model|not_in_list/i.test(code))
    return "A model file is missing on the endpoint. Install it there, or deploy to an endpoint that has it.";
  if (/node|class/i.test(code) && /missing|unknown|not_found/i.test(code))
    return "A node class is missing on the endpoint. Install the custom node there, or choose another endpoint.";
  if (/unavailable|unhealthy|network|connect|5\d\d|exhausted|no_target/i.test(code))
    return "No endpoint could take the run. Check endpoint health on the Endpoints page, then retry.";
  if (/oom|memory/i.test(code)) return "The GPU ran out of memory. Lower the resolution or batch size, or use a bigger GPU.";
  if (run.status === "failed") return "Retry the run; if it fails again, open the attempts below for the endpoint's error.";
  return null;
}
