/**
 * Keeps a port that a test closed from going to anyone else while the test
 * needs it to refuse connections (a simulated BMC "powered off", a gateway
 * that is down).
 *
 * Why: the suite runs several test files at once, each with servers on ports
 * the kernel picks. A port given back by close() can be picked by another
 * file's server moments later, which then answers in place of the one that is
 * meant to be down. A TCP socket bound to the port and connected to a keeper
 * (never listening) makes Linux skip the port for every automatic bind and
 * outgoing connection, while a connection to it is still refused: nothing
 * listens there.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

let keeper: Promise<number> | undefined;

/** A listener in this process that accepts the holding sockets and keeps them open. */
function keeperPort(): Promise<number> {
  keeper ??= new Promise((resolve, reject) => {
    const server: Server = createServer((socket) => {
      socket.on("error", () => undefined);
      socket.unref();
    });
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      const address = server.address();
      resolve(address && typeof address === "object" ? address.port : 0);
    });
  });
  return keeper;
}

/** Starts the keeper, so that holding a port later binds it without waiting. */
export async function readyToHold(): Promise<void> {
  await keeperPort();
}

/**
 * Binds `port` on 127.0.0.1 without listening on it. Returns the release; once
 * released, the port can be listened on again at once (the holder is reset, so
 * no TIME_WAIT is left). If the port was taken in the instant since it was
 * closed, nothing is held and the release does nothing.
 */
export async function holdPort(port: number): Promise<() => void> {
  const to = await keeperPort();
  const holder = await new Promise<Socket | undefined>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port: to, localAddress: "127.0.0.1", localPort: port }, () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
  if (!holder) return () => undefined;
  holder.on("error", () => undefined);
  holder.unref();
  return () => {
    holder.resetAndDestroy();
  };
}
