/** The text of --help, generated from the command declarations so it never drifts from the parser. */
import type { Command, CommandGroup, OptionSpecs } from "./command.js";
import { EXIT_CODES_HELP, GLOBAL_OPTIONS } from "./global-options.js";

function optionLines(options: OptionSpecs): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` ${spec.value ?? "VALUE"}` : ""}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return entries.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
}

function commandWords(group: CommandGroup, command: Command): string {
  return command.name === "" ? `shoal ${group.name}` : `shoal ${group.name} ${command.name}`;
}

export function commandHelp(group: CommandGroup, command: Command): string {
  const usage = command.usage.split("\n");
  const lines = [`Usage: ${commandWords(group, command)} ${usage[0] ?? ""}`.trimEnd()];
  for (const more of usage.slice(1)) lines.push(`       ${more}`);
  lines.push("", command.summary + ".");
  if (command.details) lines.push("", command.details);
  if (command.options && Object.keys(command.options).length > 0) lines.push("", "Options:", ...optionLines(command.options));
  lines.push("", "Global options:", ...optionLines(GLOBAL_OPTIONS));
  if (command.examples && command.examples.length > 0) lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

export function groupHelp(group: CommandGroup): string {
  if (group.commands.length === 1 && group.commands[0]?.name === "") return commandHelp(group, group.commands[0]);
  const width = Math.max(...group.commands.map((c) => c.name.length));
  const lines = [`Usage: shoal ${group.name} <command> [options]`, "", `${group.summary}.`, "", "Commands:"];
  for (const c of group.commands) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  lines.push("", `Run 'shoal ${group.name} <command> --help' for a command's options.`);
  return lines.join("\n");
}

export function topHelp(groups: CommandGroup[]): string {
  const width = Math.max(...groups.map((g) => g.name.length));
  const lines = [
    "Usage: shoal <command> [options]",
    "",
    "Drive a Shoal gateway (jobs, machines, executions) and read its result files.",
    "",
    "Commands:",
    ...groups.map((g) => `  ${g.name.padEnd(width)}  ${g.summary}`),
    "",
    "Global options:",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    EXIT_CODES_HELP,
    "",
    "Run 'shoal <command> --help' for more.",
  ];
  return lines.join("\n");
}
