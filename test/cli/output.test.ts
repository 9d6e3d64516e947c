import t from "tap";
import { colourWanted, renderFields, renderTable } from "../../cli/output.js";
import type { OutStream } from "../../cli/io.js";
import { renderProgress, ProgressBar } from "../../cli/progress.js";
import { PassThrough } from "node:stream";

const tty = { isTTY: true } as OutStream;
const pipe = { isTTY: false } as OutStream;

t.test("colour only on a terminal, and never with --json, --no-color, NO_COLOR or TERM=dumb", async (t) => {
  t.equal(colourWanted(tty, {}, { json: false }), true);
  t.equal(colourWanted(pipe, {}, { json: false }), false);
  t.equal(colourWanted(tty, {}, { json: true }), false);
  t.equal(colourWanted(tty, {}, { json: false, noColor: true }), false);
  t.equal(colourWanted(tty, { NO_COLOR: "1" }, { json: false }), false);
  t.equal(colourWanted(tty, { NO_COLOR: "" }, { json: false }), true, "an empty NO_COLOR does not count (no-color.org)");
  t.equal(colourWanted(tty, { TERM: "dumb" }, { json: false }), false);
});

t.test("tables align columns by their text, not by colour codes, and cut the last column to the width", async (t) => {
  const rows = [
    ["server-1", { text: "Success", style: "green" as const }, "fine"],
    ["s2", { text: "Error", style: "red" as const }, "a very long message that will not fit on a narrow terminal"],
  ];
  t.equal(
    renderTable(["machine", "status", "detail"], rows),
    ["MACHINE   STATUS   DETAIL", "server-1  Success  fine", "s2        Error    a very long message that will not fit on a narrow terminal"].join("\n"),
  );
  const narrow = renderTable(["machine", "status", "detail"], rows, { maxWidth: 40 });
  t.equal(narrow.split("\n")[2], "s2        Error    a very long message …");
  const coloured = renderTable(["machine", "status", "detail"], rows, { colour: true });
  t.match(coloured, "\u001b[32mSuccess\u001b[39m");
  t.equal(coloured.replace(/\u001b\[\d+m/g, ""), renderTable(["machine", "status", "detail"], rows));
});

t.test("fields line up and show - for nothing", async (t) => {
  t.equal(renderFields([["Id", "Job-1"], ["Next run", null]]), "Id:        Job-1\nNext run:  -");
});

t.test("the progress bar shows machines done of total and failures, within the terminal width", async (t) => {
  t.equal(renderProgress({ done: 10, total: 40, failed: 2, label: "Running" }, 80), `[${"#".repeat(10)}${"-".repeat(30)}]  10/40 machines  2 failed  Running`);
  t.equal(renderProgress({ done: 0, total: 0, failed: 0, label: "Pending" }, 45).length, 44, "one column spare");
  t.equal(renderProgress({ done: 3, total: 9, failed: 0, label: "Running" }, 30), "3/9 machines  0 failed  Running", "no room for a bar");
  const line = renderProgress({ done: 40, total: 40, failed: 0, label: "Completed" }, 60);
  t.ok(line.length < 60);
  t.match(line, /^\[#+\] {2}40\/40 machines {2}0 failed {2}Completed$/);
});

t.test("the progress bar draws only on a terminal, in place, and clears itself", async (t) => {
  const chunks: string[] = [];
  const stream = new PassThrough() as PassThrough & OutStream;
  stream.on("data", (c: Buffer) => chunks.push(c.toString()));
  stream.isTTY = true;
  stream.columns = 70;
  const bar = new ProgressBar(stream, { enabled: true, colour: false });
  bar.update({ done: 1, total: 4, failed: 0, label: "Running" });
  bar.update({ done: 1, total: 4, failed: 0, label: "Running" });
  bar.update({ done: 4, total: 4, failed: 1, label: "Completed" });
  bar.clear();
  await new Promise((r) => setImmediate(r));
  t.equal(chunks.length, 3, "an unchanged state is not redrawn");
  t.match(chunks[0], /^\r\[.*1\/4 machines.*\u001b\[K$/);
  t.equal(chunks[2], "\r\u001b[K");
  const off = new PassThrough() as PassThrough & OutStream;
  let wrote = false;
  off.on("data", () => (wrote = true));
  const hidden = new ProgressBar(off, { enabled: true, colour: false });
  hidden.update({ done: 1, total: 2, failed: 0, label: "Running" });
  hidden.clear();
  await new Promise((r) => setImmediate(r));
  t.equal(wrote, false, "nothing off a terminal");
});
