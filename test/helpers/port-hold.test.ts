import t from "tap";
import { connect, createServer, type Server } from "node:net";
import { holdPort } from "./port-hold.js";
import { localSocketStates } from "./tcp-table.js";

const listenOn = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
const portOf = (server: Server) => (server.address() as { port: number }).port;
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const connectCode = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
  });

t.test("a held port stays bound without listening: connections are refused, and the kernel will not hand it out", async (t) => {
  const server = await listenOn(0);
  const port = portOf(server);
  await close(server);
  t.same(localSocketStates(port), [], "closing gave the port back");

  const release = await holdPort(port);
  t.same(localSocketStates(port), ["ESTABLISHED"], "bound by the holder, and not listening");
  t.equal(await connectCode(port), "ECONNREFUSED");

  release();
  t.same(localSocketStates(port), [], "released with a reset: no TIME_WAIT is left behind");
  const again = await listenOn(port);
  t.teardown(() => close(again));
  t.equal(await connectCode(port), "connected", "the port can be listened on again at once");
});

t.test("a port someone took in the meantime is not held, and releasing it does nothing", async (t) => {
  const taken = await listenOn(0);
  t.teardown(() => close(taken));
  const release = await holdPort(portOf(taken));
  t.same(localSocketStates(portOf(taken)), ["LISTEN"]);
  release();
  t.equal(await connectCode(portOf(taken)), "connected");
});
