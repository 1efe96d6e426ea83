import { readFile } from 'node:fs/promises';
import type { Deps } from '../deps.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal: long work shows progress there. */
  tty: boolean;
  /** Overwrites the current terminal line (progress). */
  progress(line: string): void;
  /**
   * Reads a file the operator named. Run through a server's control channel, the files a command lists in
   * inputFiles were read by the CLI and travel with the request; unset: read from disk here.
   */
  readFile?(path: string): Promise<string>;
  /** The same file's bytes, as they are on the operator's disk (a roster may be GBK or .xlsx). */
  readFileBytes?(path: string): Promise<Buffer>;
}

/** A file the operator named, as bytes, through io.readFileBytes when the command runs for a CLI. */
export function readInputBytes(io: CliIo, path: string): Promise<Buffer> {
  return io.readFileBytes ? io.readFileBytes(path) : readFile(path);
}

/** Reads a file the operator named, through io.readFile when the command runs on behalf of a CLI. */
export function readInputFile(io: CliIo, path: string): Promise<string> {
  return io.readFile ? io.readFile(path) : readFile(path, 'utf8');
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
  /** The files among args the command reads (read by the CLI when a server runs the command). */
  inputFiles?(args: string[]): string[];
  run(args: string[], io: CliIo, deps: Deps | undefined): Promise<number>;
}
