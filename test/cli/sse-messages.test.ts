import t from "tap";
import { sseMessages, type SseMessage } from "../../cli/sse-messages.js";

async function collect(chunks: string[]): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const m of sseMessages((async function* () { yield* chunks; })())) out.push(m);
  return out;
}

t.test("messages are cut at blank lines whatever the chunks and line endings", async (t) => {
  const messages = await collect(["retry: 2000\r", "\n\r\n: keep-alive\n\nid: 4", "2\ndata: {\"a\":", "1}\ndata:x\n", "\n", "data: unfinished"]);
  t.same(messages, [{ data: "", retryMs: 2000 }, { id: "42", data: '{"a":1}\nx' }], "a CRLF split over two chunks is one line end; the unfinished message is dropped");
});

t.test("fields without a value, unknown fields and comments are ignored", async (t) => {
  t.same(await collect(["event: ping\n:comment\nretry: soon\ndata\n\n"]), [{ data: "" }]);
});
