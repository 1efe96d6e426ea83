import { calendarImportCommand, calendarLoadCommand, calendarShowCommand } from './calendar-command.ts';
import type { CliCommand } from './command.ts';
import { jobsListCommand, jobsRunCommand } from './jobs-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { rosterCommand } from './roster-command.ts';
import { simulateCommand } from './simulate-command.ts';
import { wecomMenuCommand } from './wecom-menu-command.ts';

// Every operator command. Longer word sequences are matched first.
export const cliCommands: CliCommand[] = [
  migrateCommand,
  rosterCommand,
  wecomMenuCommand,
  calendarShowCommand,
  calendarLoadCommand,
  calendarImportCommand,
  simulateCommand,
  jobsListCommand,
  jobsRunCommand,
];

/** The command argv names, longest word sequence first, and its remaining arguments. */
export function findCliCommand(argv: string[]): { cmd: CliCommand; args: string[] } | null {
  const sorted = [...cliCommands].sort((a, b) => b.words.length - a.words.length);
  const cmd = sorted.find((c) => c.words.every((w, i) => argv[i] === w));
  return cmd ? { cmd, args: argv.slice(cmd.words.length) } : null;
}
