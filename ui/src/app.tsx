/** The shell: skip link, navigation, the page for the route, and the log-in form whenever the gateway asks for one. */
import { useEffect, useRef, useState } from "preact/hooks";
import { onUnauthorized } from "./api/client.js";
import { authorizationHeader, setAuthorization } from "./api/credentials.js";
import { live } from "./live/source.js";
import { FleetPage } from "./pages/fleet.js";
import { JobFormPage } from "./pages/job-form.js";
import { JobPage } from "./pages/job-page.js";
import { JobsPage } from "./pages/jobs.js";
import { LoginPage } from "./pages/login.js";
import { MachinePage } from "./pages/machine-page.js";
import { MachinesPage } from "./pages/machines.js";
import { RunPage } from "./pages/run-page.js";
import { href, useRoute, type Route } from "./router.js";

function Page(props: { route: Route }) {
  const r = props.route;
  switch (r.page) {
    case "fleet":
      return <FleetPage />;
    case "jobs":
      return <JobsPage />;
    case "job-new":
      return <JobFormPage />;
    case "job":
      return <JobPage key={r.jobId} jobId={r.jobId} />;
    case "job-edit":
      return <JobFormPage key={r.jobId} jobId={r.jobId} />;
    case "run":
      return <RunPage key={r.executionId} jobId={r.jobId} executionId={r.executionId} />;
    case "machines":
      return <MachinesPage />;
    case "machine":
      return <MachinePage key={r.machineId} machineId={r.machineId} />;
    case "not-found":
      return (
        <p class="card">
          Nothing lives at <code>{r.path}</code>. <a href={href.fleet()}>Back to the fleet</a>.
        </p>
      );
  }
}

const TITLES: Record<Route["page"], string> = {
  fleet: "Fleet",
  jobs: "Jobs",
  "job-new": "New job",
  job: "Job",
  "job-edit": "Edit job",
  run: "Run",
  machines: "Machines",
  machine: "Machine",
  "not-found": "Not found",
};

const SECTION: Record<Route["page"], string> = {
  fleet: "fleet",
  jobs: "jobs",
  "job-new": "jobs",
  job: "jobs",
  "job-edit": "jobs",
  run: "jobs",
  machines: "machines",
  machine: "machines",
  "not-found": "",
};

export function App() {
  const route = useRoute();
  const [login, setLogin] = useState<"basic" | "token" | null>(null);
  const firstRoute = useRef(true);
  useEffect(() => onUnauthorized((mode) => setLogin(mode)), []);
  useEffect(() => {
    document.title = `${TITLES[route.page]} · Shoal`;
    // After a navigation, focus moves to the new page so keyboard and screen-reader users start at
    // its top; on first load it stays at the document's start, where the skip link is.
    if (!firstRoute.current) document.getElementById("main")?.focus({ preventScroll: true });
    firstRoute.current = false;
  }, [route]);

  if (login) return <LoginPage mode={login} onLoggedIn={() => { setLogin(null); live.refresh(); }} />;
  const section = SECTION[route.page];
  const nav = [
    { id: "fleet", label: "Fleet", to: href.fleet() },
    { id: "jobs", label: "Jobs", to: href.jobs() },
    { id: "machines", label: "Machines", to: href.machines() },
  ];
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href.fleet()} aria-label="Shoal, fleet overview">
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <path d="M3 14c3-4 6-4 9 0s6 4 9 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            <path d="M3 9c3-4 6-4 9 0s6 4 9 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" opacity=".55" />
          </svg>
          Shoal
        </a>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.id}>
                <a href={n.to} aria-current={section === n.id ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {authorizationHeader() ? (
          <button type="button" class="link logout" onClick={() => { setAuthorization(null); location.reload(); }}>
            Log out
          </button>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}
