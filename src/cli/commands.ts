import { calendarLoadCommand, calendarShowCommand } from './calendar-command.ts';
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
  simulateCommand,
  jobsListCommand,
  jobsRunCommand,
];
