import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import t from "tap";
import { EventHub } from "../../../gateway/events/event-hub.js";
import { SseStreams } from "../../../gateway/events/sse-streams.js";
import { openSse } from "./sse-client.js";

t.test("the events of one turn of the event loop reach a stream in one socket write, in order", async (t) => {
  const hub = new EventHub();
  const streams = new SseStreams(hub);
  const writes: number[] = [];
  const server = createServer((_req, res: ServerResponse) => {
    const index = writes.push(0) - 1;
    const write = res.write.bind(res) as (chunk: string) => boolean;
    res.write = ((chunk: string) => {
      writes[index]!++;
      return write(chunk);
    }) as typeof res.write;
    streams.open(res, () => true, undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const readers = await Promise.all([openSse(url, "/"), openSse(url, "/"), openSse(url, "/")]);
  t.teardown(() => {
    for (const r of readers) r.close();
    streams.close();
    server.close();
  });
  const opened = [...writes];

  const published = [];
  for (let i = 0; i < 200; i++) published.push(hub.publish({ key: "MachineFailed", args: [`m${i}`, "e1", "HttpError", "no"], origin: "/x", resourceType: "JobExecution" }).id);
  for (const r of readers) await r.waitFor(() => r.events.length === published.length);

  for (const r of readers) t.same(r.events.map((e) => e.id), published, "every event, in the order published");
  t.same(
    writes.map((n, i) => n - opened[i]!),
    [1, 1, 1],
    "200 events published in one turn went out in one write per stream",
  );
});

t.test("a stream opened with Last-Event-ID gets the headers and its replay in one write, then the live events", async (t) => {
  const hub = new EventHub();
  const streams = new SseStreams(hub);
  let writes = 0;
  const server = createServer((req, res: ServerResponse) => {
    const write = res.write.bind(res) as (chunk: string) => boolean;
    res.write = ((chunk: string) => {
      writes++;
      return write(chunk);
    }) as typeof res.write;
    const last = req.headers["last-event-id"];
    streams.open(res, () => true, typeof last === "string" ? last : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.teardown(() => {
    streams.close();
    server.close();
  });
  const ids = [];
  for (let i = 0; i < 30; i++) ids.push(hub.publish({ key: "TestEvent", args: [], origin: "/x", resourceType: "EventService" }).id);
  const reader = await openSse(url, "/", { "Last-Event-ID": ids[9]! });
  t.teardown(() => reader.close());
  await reader.waitFor(() => reader.events.length === 20);
  t.equal(writes, 1, "the retry line and 20 replayed events in one write");
  const live = hub.publish({ key: "TestEvent", args: [], origin: "/x", resourceType: "EventService" }).id;
  await reader.waitFor((e) => e.id === live);
  t.same(reader.events.map((e) => e.id), [...ids.slice(10), live]);
});
