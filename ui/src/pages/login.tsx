/**
 * Log-in when the gateway has auth on: user and password (Basic) or a token
 * (Bearer), as the gateway's 401 asked. Credentials go in a header only.
 */
import { useState } from "preact/hooks";
import { api, ApiError } from "../api/client.js";
import { basicAuthorization, bearerAuthorization, setAuthorization } from "../api/credentials.js";

export function LoginPage(props: { mode: "basic" | "token"; onLoggedIn: () => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setAuthorization(props.mode === "basic" ? basicAuthorization(username, password) : bearerAuthorization(token));
    try {
      await api("GET", "/MultiFish/v1/JobService");
      props.onLoggedIn();
    } catch (e) {
      setAuthorization(null);
      setError(e instanceof ApiError && e.status === 401 ? "Those credentials were not accepted." : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <form class="card login-card" onSubmit={submit}>
        <h1>Log in to Shoal</h1>
        <p class="muted">This gateway asks who you are before it shows or changes anything.</p>
        {props.mode === "basic" ? (
          <>
            <label>
              User name
              <input type="text" name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
            </label>
            <label>
              Password
              <input type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            </label>
          </>
        ) : (
          <label>
            Access token
            <input type="password" name="token" autocomplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
          </label>
        )}
        {error ? (
          <div class="error-box" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
