import t from "tap";
import { run } from "../../cli/helpers.js";
import { startGateway } from "../helpers/http.js";
import { messageIdOf, startReceiver } from "./receiver.js";

t.test("shoal subscriptions add, list, test and remove drive the EventService; the secret is read from stdin and never shown", async (t) => {
  const g = await startGateway();
  const hook = await startReceiver();
  t.teardown(async () => {
    await g.close();
    await hook.close();
  });
  const env = { SHOAL_URL: g.url };

  const added = await run(
    ["subscriptions", "add", "--destination", hook.url, "--registry", "Shoal", "--header", "X-Team: fans", "--context", "night", "--secret-stdin", "--json"],
    { env, stdin: "cli-signing-secret-1234\n" },
  );
  t.equal(added.code, 0, added.stderr);
  const sub = JSON.parse(added.stdout) as Record<string, unknown>;
  t.match(sub, { Destination: hook.url, Context: "night", RegistryPrefixes: ["Shoal"], Oem: { Shoal: { SigningSecretSet: true, SigningSecret: null } } });
  t.notMatch(added.stdout, /cli-signing-secret/);

  const listed = await run(["subscriptions", "list"], { env });
  t.equal(listed.code, 0, listed.stderr);
  t.match(listed.stdout, new RegExp(String(sub.Id)));
  t.match(listed.stdout, /Enabled/);

  const tested = await run(["subscriptions", "test", "--message", "hello from the CLI"], { env });
  t.equal(tested.code, 0, tested.stderr);
  await hook.waitFor((all) => all.length === 1);
  t.equal(messageIdOf(hook.received[0]!), "Shoal.1.0.0.TestEvent");
  t.match(hook.received[0]!.json, { Context: "night", Events: [{ Message: "hello from the CLI" }] });
  t.equal(hook.received[0]!.headers["x-team"], "fans");

  const bad = await run(["subscriptions", "add", "--destination", hook.url, "--format", "Fax"], { env });
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--format must be one of/);

  const removed = await run(["subscriptions", "remove", String(sub.Id)], { env });
  t.equal(removed.code, 0, removed.stderr);
  t.match((await run(["subscriptions", "list"], { env })).stdout, /No subscriptions/);
});
