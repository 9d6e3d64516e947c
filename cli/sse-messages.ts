/**
 * The messages of a Server-Sent Event stream (the WHATWG "event stream"
 * format): text arrives in arbitrary chunks; a blank line ends a message;
 * `id:`, `data:` (joined with newlines when repeated) and `retry:` fields;
 * lines starting with ':' are comments (keep-alives).
 */

export interface SseMessage {
  /** The id this message set, if it set one; a client resumes from the last one seen. */
  id?: string;
  data: string;
  /** The reconnection delay the server asked for, in ms. */
  retryMs?: number;
}

export async function* sseMessages(chunks: AsyncIterable<string>): AsyncGenerator<SseMessage> {
  let pending = "";
  let data: string[] = [];
  let id: string | undefined;
  let retryMs: number | undefined;
  let endedWithCr = false;
  for await (const chunk of chunks) {
    // A "\r\n" split across two chunks is one line break, not two.
    pending += endedWithCr && chunk.startsWith("\n") ? chunk.slice(1) : chunk;
    endedWithCr = chunk.endsWith("\r");
    const lines = pending.split(/\r\n|\r|\n/);
    // The last piece is an unfinished line, or "" after a line break.
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        if (data.length > 0 || id !== undefined || retryMs !== undefined) {
          yield { data: data.join("\n"), ...(id !== undefined && { id }), ...(retryMs !== undefined && { retryMs }) };
        }
        data = [];
        id = undefined;
        retryMs = undefined;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") data.push(value);
      else if (field === "id" && !value.includes("\u0000")) id = value;
      else if (field === "retry" && /^\d+$/.test(value)) retryMs = Number(value);
    }
  }
}
