// The README's terminal sessions: code blocks whose first line starts with "$ ". Each holds commands
// ("$ " lines, continued by a trailing backslash) and the output they print. Output that starts
// with "…" is an excerpt: its lines appear, in a row, somewhere in what the command prints.
import { execFileSync } from 'node:child_process';

export interface ShownCommand {
  /** The command as one line (continuations joined). */
  line: string;
  /** The README lines of the command, as written. */
  written: string[];
  /** The output the README shows. */
  output: string[];
}

export interface Session {
  commands: ShownCommand[];
  /** README line index of the block's first line (after the opening fence) and of its closing fence. */
  start: number;
  end: number;
}

/** Every terminal session of a Markdown text. */
export function terminalSessions(markdown: string): Session[] {
  const lines = markdown.split('\n');
  const sessions: Session[] = [];
  let start = -1;
  for (let index = 0; index < lines.length; index++) {
    if (!lines[index].startsWith('```')) continue;
    if (start < 0) {
      start = index + 1;
      continue;
    }
    if (lines[start]?.startsWith('$ ')) sessions.push({ commands: commandsOf(lines.slice(start, index)), start, end: index });
    start = -1;
  }
  return sessions;
}

function commandsOf(lines: string[]): ShownCommand[] {
  const commands: ShownCommand[] = [];
  for (const line of lines) {
    const last = commands.at(-1);
    if (line.startsWith('$ ')) commands.push({ line: line.slice(2), written: [line], output: [] });
    else if (last && last.output.length === 0 && last.line.endsWith('\\')) {
      last.line = `${last.line.slice(0, -1)} ${line.trim()}`;
      last.written.push(line);
    } else last!.output.push(line);
  }
  return commands;
}

/** How `npx ecs-sim` and the `docs/` folder of the shown commands are reached when running them. */
export interface Installation {
  /** The command that stands for `npx ecs-sim` (quoted as needed). */
  ecsSim: string;
  /** The folder that stands for `docs/`. */
  docs: string;
}

/** Runs one shown command in folder: stdout and stderr together, as a terminal shows them. */
export function runShown(line: string, folder: string, installation: Installation): string[] {
  const command = line.replaceAll('npx ecs-sim', installation.ecsSim).replaceAll(/(?<=\s)docs\//g, `${installation.docs}/`);
  let output: string;
  try {
    output = execFileSync('sh', ['-c', `(${command}) 2>&1`], { cwd: folder, encoding: 'utf8' });
  } catch (error) {
    output = (error as { stdout: string }).stdout;
  }
  return output.trimEnd() === '' ? [] : output.trimEnd().split('\n');
}

/** A line as compared: a timing line with its numbers masked (they differ from run to run). */
export function comparable(line: string): string {
  return /wall time|runs\/s|voxel updates\/s/.test(line) ? line.replace(/\d+(\.\d+)?/g, '#') : line;
}

/** Where lines appear in a row in printed, or −1. */
export function excerptAt(printed: string[], lines: string[]): number {
  for (let start = 0; start + lines.length <= printed.length; start++) {
    if (lines.every((line, offset) => comparable(printed[start + offset]) === comparable(line))) return start;
  }
  return -1;
}

/**
 * The output to show now for a command: what it printed, or for an excerpt the same number of
 * lines starting at the printed line that begins like the excerpt's first line (its first word).
 */
export function updatedOutput(command: ShownCommand, printed: string[]): string[] {
  if (command.output[0] !== '…') return printed;
  const excerpt = command.output.slice(1);
  const lead = excerpt[0].trim().split(/\s+/)[0];
  const at = printed.findIndex((line) => line.trim().split(/\s+/)[0] === lead);
  return at < 0 ? command.output : ['…', ...printed.slice(at, at + excerpt.length)];
}

/** The Markdown with each session's output replaced by outputs[session][command]. */
export function withOutputs(markdown: string, sessions: Session[], outputs: string[][][]): string {
  const lines = markdown.split('\n');
  // From the last session back, so that earlier line indices stay valid.
  for (let s = sessions.length - 1; s >= 0; s--) {
    const block = sessions[s].commands.flatMap((command, c) => [...command.written, ...(outputs[s]?.[c] ?? command.output)]);
    lines.splice(sessions[s].start, sessions[s].end - sessions[s].start, ...block);
  }
  return lines.join('\n');
}
