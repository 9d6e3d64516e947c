/** Reading what the operator hands over: JSON files (or "-" for stdin) and secrets on stdin. */
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { inputError } from "./exit-codes.js";

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON file; `-` reads stdin. Errors name the file and the flag. */
export async function readJsonFile(path: string, flag: string, stdin: Readable): Promise<unknown> {
  let text: string;
  try {
    text = path === "-" ? await readAll(stdin) : await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError(`${flag} ${path}: ${code === "ENOENT" ? "no such file" : code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw inputError(`${flag} ${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The first line of stdin, for --password-stdin (`printf %s "$PW" | shoal machines add ...`). */
export async function readSecret(stdin: Readable, flag: string): Promise<string> {
  const text = await readAll(stdin);
  const secret = text.replace(/\r?\n[\s\S]*$/, "");
  if (secret === "") throw inputError(`${flag}: stdin was empty`);
  return secret;
}
