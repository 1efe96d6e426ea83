import { PROBE_ENV, probeServices } from './probe.ts';

// When vitest is started directly (not through test/run.ts), probe here so workers still know.
export default async function setup(): Promise<void> {
  if (!process.env[PROBE_ENV]) process.env[PROBE_ENV] = JSON.stringify(await probeServices());
}
