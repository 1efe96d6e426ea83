import type { CliCommand } from './command.ts';
import { migrateCommand } from './migrate-command.ts';

// Every operator command. Longer word sequences are matched first.
export const cliCommands: CliCommand[] = [migrateCommand];
