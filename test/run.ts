// `npm test`: finds the test PostgreSQL and Redis, says in its first line what it runs on, then runs vitest.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PROBE_ENV, probeServices } from './helpers/probe.ts';

const probe = await probeServices();
const missing = [
  ...(probe.postgres.ok ? [] : [`PostgreSQL at ${redactUrl(probe.postgres.url)} (${probe.postgres.error})`]),
  ...(probe.redis.ok ? [] : [`Redis at ${redactUrl(probe.redis.url)} (${probe.redis.error})`]),
];

if (missing.length === 0) {
  console.log(
    `Test services: PostgreSQL ${redactUrl(probe.postgres.url)} and Redis ${redactUrl(probe.redis.url)}; running every suite.`,
  );
} else if (process.env.REQUIRE_SERVICES === '1') {
  console.log(`REQUIRE_SERVICES=1 but not reachable: ${missing.join('; ')}`);
  process.exit(1);
} else {
  console.log(
    `Test services missing: ${missing.join('; ')}. Running on PGlite and the in-process store; ` +
      'skipped: the PostgreSQL + Redis variant of every integration suite (and the suites that need only it).',
  );
}

const require = createRequire(import.meta.url);
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const child = spawn(process.execPath, [vitestBin, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, [PROBE_ENV]: JSON.stringify(probe) },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

function redactUrl(u: string): string {
  try {
    const url = new URL(u);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return u;
  }
}
