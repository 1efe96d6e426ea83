import type { Deps } from '../deps.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal: long work shows progress there. */
  tty: boolean;
  /** Overwrites the current terminal line (progress). */
  progress(line: string): void;
}

export interface CliCommand {
  /** e.g. ['roster', 'import'] */
  words: string[];
  usage: string;
  summary: string;
  /** Whether the command needs the database and store. */
  needsDeps: boolean;
  /** Whether the schema is migrated before the command runs (default true). */
  autoMigrate?: boolean;
  run(args: string[], io: CliIo, deps: Deps | undefined): Promise<number>;
}
