/**
 * Hash routes (`#/jobs/ID`), so the gateway serves one page at `/` and
 * `/ui/` and a reload lands on the same view.
 */
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "fleet" }
  | { page: "jobs" }
  | { page: "job-new" }
  | { page: "job"; jobId: string }
  | { page: "job-edit"; jobId: string }
  | { page: "run"; jobId: string; executionId: string }
  | { page: "machines" }
  | { page: "machine"; machineId: string }
  | { page: "not-found"; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  const parts = path.split("/").filter((p) => p !== "").map((p) => decodeURIComponent(p));
  const [a, b, c, d] = parts;
  if (parts.length === 0) return { page: "fleet" };
  if (a === "jobs") {
    if (parts.length === 1) return { page: "jobs" };
    if (b === "new" && parts.length === 2) return { page: "job-new" };
    if (b && parts.length === 2) return { page: "job", jobId: b };
    if (b && c === "edit" && parts.length === 3) return { page: "job-edit", jobId: b };
    if (b && c === "runs" && d && parts.length === 4) return { page: "run", jobId: b, executionId: d };
  }
  if (a === "machines") {
    if (parts.length === 1) return { page: "machines" };
    if (b && parts.length === 2) return { page: "machine", machineId: b };
  }
  return { page: "not-found", path };
}

const seg = encodeURIComponent;

export const href = {
  fleet: () => "#/",
  jobs: () => "#/jobs",
  jobNew: () => "#/jobs/new",
  job: (id: string) => `#/jobs/${seg(id)}`,
  jobEdit: (id: string) => `#/jobs/${seg(id)}/edit`,
  run: (jobId: string, executionId: string) => `#/jobs/${seg(jobId)}/runs/${seg(executionId)}`,
  machines: () => "#/machines",
  machine: (id: string) => `#/machines/${seg(id)}`,
};

export function navigate(to: string): void {
  location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
