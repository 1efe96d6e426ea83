// A broadcast to many groups, several sharing one WeCom robot, queued as POST /api/broadcasts does and
// drained by the outbox against a local fake WeCom (test/helpers/fake-wecom.ts: errcode 0, and 45009
// past 20 messages a minute per robot key). Time is a FixedClock stepped to the next moment a message is
// due, so the robots' minute windows pass without waiting for them; the wall clock measures our work.
import { sql } from 'kysely';
import { findBroadcast } from '../db/repositories/broadcasts.ts';
import { FixedClock } from '../src/clock.ts';
import type { Config, WecomConfig } from '../src/config.ts';
import { createRuntime } from '../src/runtime.ts';
import {
  broadcastProgress,
  finishBroadcasts,
  planBroadcast,
  startBroadcast,
} from '../src/services/notices/index.ts';
import { startFakeWecom } from '../test/helpers/fake-wecom.ts';
import { openBenchBackend } from './backend.ts';

// Monday 23 November 2026, 10:00 in Shanghai: inside sending hours, so nothing waits for the morning.
const STARTS_AT = '2026-11-23T02:00:00Z';
const ROBOT_PER_MINUTE = 20;
const CLAIM_BATCH = 100;

export interface BroadcastOptions {
  groups: number;
  robotKeys: number;
}

export interface BroadcastBench {
  groups: number;
  robotKeys: number;
  maxGroupsPerKey: number;
  queueSeconds: number;
  /** Wall-clock seconds of every outbox run until the last group had it. */
  drainSeconds: number;
  outboxRuns: number;
  simulatedMinutes: number;
  /** The least the 20-a-minute limit allows: ceil(groups per key / 20) - 1 whole minutes. */
  minimumMinutes: number;
  delivered: number;
  platformRefusals: number;
  everyGroupOnce: boolean;
  status: string;
}

export async function benchBroadcast(config: Config, o: BroadcastOptions): Promise<BroadcastBench> {
  const clock = new FixedClock(STARTS_AT);
  const keys = Array.from({ length: o.robotKeys }, (_, i) => `bench-robot-${String(i + 1).padStart(3, '0')}`);
  const corp = { corpId: 'wwbench0000000002', secret: 'bench-secret', agentId: 1000002 };
  const fake = await startFakeWecom({ ...corp, clock, robotKeys: keys });
  const wecom: WecomConfig = {
    ...corp,
    token: 'BenchToken',
    encodingAesKey: 'a'.repeat(43),
    apiBase: fake.url,
  };
  const backend = await openBenchBackend({ ...config, timezone: 'Asia/Shanghai', wecom }, clock);
  const { deps } = backend;
  try {
    const c = await deps.db
      .insertInto('congresses')
      .values({ name: '压测市人大常委会', level: 'city', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const g = sql.lit(o.groups);
    await sql`insert into groups (id, congress_id, name, kind)
              select k, ${sql.lit(c.id)}, '第' || k || '代表小组', 'small' from generate_series(1, ${g}) k`.execute(
      deps.db,
    );
    // Group k posts through robot k mod K: K robots shared by all the groups.
    await sql`insert into group_bindings (group_id, channel, kind, address)
              select k, 'wecom', 'wecom_robot', 'bench-robot-' || lpad((((k - 1) % ${sql.lit(o.robotKeys)}) + 1)::text, 3, '0')
              from generate_series(1, ${g}) k`.execute(deps.db);

    const t0 = performance.now();
    const plan = await planBroadcast(deps.db, [c.id], { all: true }, deps.config);
    const queued = await startBroadcast(deps, {
      plan,
      targets: ['all'],
      text: '《人大工作信息》第12期已印发，请各代表小组组织学习。',
      actor: 'bench',
      senderPersonId: null,
    });
    const queueSeconds = round((performance.now() - t0) / 1000);

    const runtime = createRuntime(deps);
    const started = clock.now().getTime();
    // Every message goes out in at most one run per minute window per robot, plus the idle steps.
    const maxRuns = 10 * (o.groups + Math.ceil(o.groups / ROBOT_PER_MINUTE) + 10);
    let runs = 0;
    let drainMs = 0;
    for (; runs < maxRuns; runs++) {
      const t1 = performance.now();
      const s = await runtime.outbox.runOnce(CLAIM_BATCH);
      drainMs += performance.now() - t1;
      if (s.claimed > 0) continue;
      const next = await deps.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min('not_before').as('at'))
        .where('status', 'in', ['pending', 'failed', 'sending'])
        .executeTakeFirst();
      if (!next?.at) break;
      const at = new Date(next.at).getTime();
      clock.set(new Date(Math.max(at, clock.now().getTime() + 1)));
    }

    const deliveries = fake.robotDelivered;
    const last = deliveries.reduce((m, d) => Math.max(m, d.at.getTime()), started);
    const perKey = new Map<string, number>();
    for (const d of deliveries) perKey.set(d.key, (perKey.get(d.key) ?? 0) + 1);
    const expected = (i: number) => Math.floor(o.groups / o.robotKeys) + (i < o.groups % o.robotKeys ? 1 : 0);
    const progress = await broadcastProgress(deps.db, queued.id, null);
    await finishBroadcasts(deps);
    const b = await findBroadcast(deps.db, queued.id);
    const maxGroupsPerKey = Math.ceil(o.groups / o.robotKeys);
    return {
      groups: o.groups,
      robotKeys: o.robotKeys,
      maxGroupsPerKey,
      queueSeconds,
      drainSeconds: round(drainMs / 1000),
      outboxRuns: runs,
      simulatedMinutes: round((last - started) / 60_000),
      minimumMinutes: Math.ceil(maxGroupsPerKey / ROBOT_PER_MINUTE) - 1,
      delivered: deliveries.length,
      platformRefusals: fake.count('/cgi-bin/webhook/send') - deliveries.length,
      everyGroupOnce:
        progress.totals.sent === o.groups &&
        deliveries.length === o.groups &&
        keys.every((k, i) => perKey.get(k) === expected(i)),
      status: b?.status ?? 'missing',
    };
  } finally {
    await backend.close();
    await fake.close();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
