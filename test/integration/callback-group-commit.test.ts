import { randomBytes } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeInboundMany } from '../../db/repositories/inbound-messages.ts';
import { type ChatMessage, NotRecordedError } from '../../src/channels/types.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import type { KvStore } from '../../src/store/types.ts';
import { backends, countRedisCommands, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { type FakeWecom, startFakeWecom } from '../helpers/fake-wecom.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { TEST_WECOM, wecomEnv } from '../helpers/wecom-envelope.ts';

// The callback path's cost: messages arriving together are recorded and answered in shared statements
// (group commit), yet each is committed before it is answered and a failed statement answers no one as
// saved; the store is asked at most three times per message; a repeat is still answered once.

/** What reached the database, in order: each statement when it came back, and each answer given. */
interface Event {
  kind: 'record' | 'settle' | 'answer';
  keys: string[];
}

/**
 * The message keys a statement records into inbound_messages (its parameters, lists of them as arrays), or
 * null when it records none.
 */
function insertedKeys(compiled: CompiledQuery): string[] | null {
  if (!/insert into inbound_messages/i.test(compiled.sql)) return null;
  const keys = compiled.parameters
    .flatMap((p) => (Array.isArray(p) ? p : [p]))
    .filter((p): p is string => typeof p === 'string' && /^gc-/.test(p));
  return keys.length > 0 ? keys : null;
}

/** The statement stores answers: the ids of the messages it ends, its first parameter, are not none. */
function storesAnswers(compiled: CompiledQuery): boolean {
  const [ids] = compiled.parameters;
  return /update inbound_messages/i.test(compiled.sql) && (!Array.isArray(ids) || ids.length > 0);
}

class Recorder {
  readonly events: Event[] = [];
  /** Fails every insert into inbound_messages, or those carrying a key in this set. */
  failInserts: 'all' | Set<string> | null = null;
  /** Fails every statement that stores an answer. */
  failUpdates = false;

  /** Runs a statement as the driver would, noting records and settles once they came back (committed). */
  async run<T>(compiled: CompiledQuery, execute: () => Promise<T>): Promise<T> {
    const keys = insertedKeys(compiled);
    const fail = this.failInserts;
    if (keys && (fail === 'all' || (fail instanceof Set && keys.some((k) => fail.has(k))))) {
      throw new Error('the database refused the write');
    }
    if (this.failUpdates && storesAnswers(compiled)) {
      throw new Error('the database refused the update');
    }
    const out = await execute();
    // One statement may both record messages and store answers.
    if (keys) this.events.push({ kind: 'record', keys });
    if (storesAnswers(compiled)) this.events.push({ kind: 'settle', keys: [] });
    return out;
  }
}

/**
 * The store as the service sees it, counting the calls made to it (and, on Redis, the commands sent on
 * the connection): a call inside the store (the in-process store's own helpers) is not counted.
 */
function countingStore(store: KvStore): {
  store: KvStore;
  count<T>(work: () => Promise<T>): Promise<{ calls: number; commands: number; out: T }>;
} {
  let calls = 0;
  const commands = countRedisCommands(store);
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store: counted,
    async count(work) {
      calls = 0;
      commands?.reset();
      const out = await work();
      return { calls, commands: commands?.n ?? 0, out };
    },
  };
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`group commit on the callback path on ${backend.name}`, () => {
    let deps: TestDeps;
    let wecom: FakeWecom;
    let runtime: Runtime;
    const recorder = new Recorder();
    let counting: ReturnType<typeof countingStore>;
    const deputies = Array.from({ length: 8 }, (_, i) => `gcDeputy${i}`);

    beforeAll(async () => {
      wecom = await startFakeWecom({
        corpId: TEST_WECOM.corpId,
        secret: TEST_WECOM.secret,
        agentId: TEST_WECOM.agentId,
      });
      deps = await createTestDeps(backend.name, { env: wecomEnv(wecom.url) });
      const congressId = await seedCongress(deps.db);
      for (const [i, id] of deputies.entries())
        await seedPerson(deps.db, { name: `代表${i}`, wecom: id, congressId });
      // A Kysely of its own whose every statement passes through the recorder (the test's reads do not).
      const wrapped = deps.db.withoutPlugins();
      const executor = wrapped.getExecutor();
      const execute = executor.executeQuery.bind(executor);
      executor.executeQuery = ((compiled: CompiledQuery, options?: Parameters<typeof execute>[1]) =>
        recorder.run(compiled, () => execute(compiled, options))) as typeof executor.executeQuery;
      counting = countingStore(deps.store);
      runtime = createRuntime({ ...deps, db: wrapped, store: counting.store });
    });
    afterAll(async () => {
      await runtime?.dispatcher.drain();
      await runtime?.outbox.stop();
      await deps?.cleanup();
      await wecom?.close();
    });

    const message = (senderId: string, key = `gc-${randomBytes(6).toString('hex')}`): ChatMessage => ({
      channel: 'wecom',
      messageKey: key,
      senderId,
      kind: 'text',
      text: '帮助',
      platformType: 'text',
      createdAt: new Date(),
    });
    const handle = (msg: ChatMessage) =>
      runtime.dispatcher.handle(msg, { budgetMs: 4000, maxReplyBytes: 2048 }).then((outcome) => {
        recorder.events.push({ kind: 'answer', keys: [msg.messageKey] });
        return outcome;
      });
    const rowsOf = (keys: string[]) =>
      deps.db
        .selectFrom('inbound_messages')
        .select(['message_key', 'status'])
        .where('message_key', 'in', keys)
        .execute();

    it('records messages that arrive together in shared statements, each committed before it is answered', async () => {
      recorder.events.length = 0;
      const msgs = deputies.map((d) => message(d));
      const outcomes = await Promise.all(msgs.map(handle));
      for (const o of outcomes) expect(o.kind).toBe('reply');
      // The answers are stored after they were given.
      await runtime.dispatcher.drain();

      const records = recorder.events.filter((e) => e.kind === 'record');
      const settles = recorder.events.filter((e) => e.kind === 'settle');
      // Eight messages, fewer statements: some shared one.
      expect(records.length).toBeLessThan(msgs.length);
      expect(settles.length).toBeLessThan(msgs.length);
      for (const m of msgs) {
        const recordedAt = recorder.events.findIndex(
          (e) => e.kind === 'record' && e.keys.includes(m.messageKey),
        );
        const answeredAt = recorder.events.findIndex(
          (e) => e.kind === 'answer' && e.keys.includes(m.messageKey),
        );
        expect(recordedAt).toBeGreaterThanOrEqual(0);
        expect(recordedAt).toBeLessThan(answeredAt);
      }
      // No answer is stored before the first was given: storing waits for no one.
      const firstStored = recorder.events.findIndex((e) => e.kind === 'settle');
      expect(firstStored).toBeGreaterThan(recorder.events.findIndex((e) => e.kind === 'answer'));
      const rows = await rowsOf(msgs.map((m) => m.messageKey));
      expect(rows).toHaveLength(msgs.length);
      for (const r of rows) expect(r.status).toBe('handled');
    });

    it('answers no one as saved when the shared statement fails, and handles the retries anew', async () => {
      const msgs = deputies.map((d) => message(d));
      recorder.failInserts = 'all';
      const settled = await Promise.allSettled(msgs.map(handle));
      recorder.failInserts = null;
      for (const s of settled) {
        expect(s.status).toBe('rejected');
        expect((s as PromiseRejectedResult).reason).toBeInstanceOf(NotRecordedError);
      }
      expect(await rowsOf(msgs.map((m) => m.messageKey))).toHaveLength(0);

      // The platform retries each: nothing of the failed attempt stands in the way.
      const retried = await Promise.all(msgs.map(handle));
      for (const o of retried) expect(o.kind).toBe('reply');
      expect(await rowsOf(msgs.map((m) => m.messageKey))).toHaveLength(msgs.length);
    });

    it('fails only the message its statement cannot take when others shared it', async () => {
      const msgs = deputies.map((d) => message(d));
      const bad = msgs[3]!.messageKey;
      recorder.failInserts = new Set([bad]);
      const settled = await Promise.allSettled(msgs.map(handle));
      recorder.failInserts = null;
      for (const [i, s] of settled.entries()) {
        if (msgs[i]!.messageKey === bad)
          expect((s as PromiseRejectedResult).reason).toBeInstanceOf(NotRecordedError);
        else expect(s.status).toBe('fulfilled');
      }
      const rows = await rowsOf(msgs.map((m) => m.messageKey));
      expect(rows.map((r) => r.message_key).sort()).toEqual(
        msgs
          .map((m) => m.messageKey)
          .filter((k) => k !== bad)
          .sort(),
      );
    });

    it('asks the store at most three times for 帮助, alone or behind the same person’s earlier message', async () => {
      // Warm: the store's scripts are loaded once.
      await handle(message(deputies[0]!));
      await runtime.dispatcher.drain();
      // Counted until the answer is stored and the person's turn ended, which follows the reply.
      const ended = async <T>(work: Promise<T>): Promise<T> => {
        const out = await work;
        await runtime.dispatcher.drain();
        return out;
      };
      const alone = await counting.count(() => ended(handle(message(deputies[1]!))));
      expect(alone.out.kind).toBe('reply');
      expect(alone.calls).toBeLessThanOrEqual(3);
      if (deps.store.kind === 'redis') expect(alone.commands).toBeLessThanOrEqual(3);

      // Three at once from one person: serialised, each still within three.
      const three = await counting.count(() =>
        ended(Promise.all([0, 1, 2].map(() => handle(message(deputies[2]!))))),
      );
      for (const o of three.out) expect(o.kind).toBe('reply');
      expect(three.calls).toBeLessThanOrEqual(9);
      if (deps.store.kind === 'redis') expect(three.commands).toBeLessThanOrEqual(9);
    });

    it('records new messages and stores earlier ones’ answers in one statement', async () => {
      const at = new Date('2026-11-23T02:00:00Z');
      const record = (messageKey: string, personId: number | null) => ({
        channel: 'wecom' as const,
        messageKey,
        senderId: 'gcDeputy6',
        personId,
        msgType: 'text',
        content: { kind: 'text', text: '帮助' },
        receivedAt: at,
      });
      const person = await deps.db
        .selectFrom('people')
        .select('id')
        .where('name', '=', '代表6')
        .executeTakeFirstOrThrow();
      const [first] = await writeInboundMany(deps.db, [record('gc-w1', person.id)], []);
      const [second, stranger, repeat] = await writeInboundMany(
        deps.db,
        [record('gc-w2', person.id), record('gc-w3', null), record('gc-w1', person.id)],
        [{ id: first!, status: 'handled', reply: { reply: { text: '好' }, via: 'passive' }, at }],
      );
      expect(second).toEqual(expect.any(Number));
      expect(stranger).toEqual(expect.any(Number));
      expect(repeat).toBeNull();
      const rows = await deps.db
        .selectFrom('inbound_messages')
        .select(['message_key', 'status', 'reply', 'sender_id', 'content'])
        .where('message_key', 'in', ['gc-w1', 'gc-w2', 'gc-w3'])
        .orderBy('message_key')
        .execute();
      expect(rows.map((r) => [r.message_key, r.status])).toEqual([
        ['gc-w1', 'handled'],
        ['gc-w2', 'received'],
        ['gc-w3', 'refused'],
      ]);
      expect(rows[0]!.reply).toEqual({ reply: { text: '好' }, via: 'passive' });
      // Of a stranger's message only its id is kept.
      expect([rows[2]!.sender_id, rows[2]!.content]).toEqual([null, null]);
    });

    it('gives the answer even when storing it fails, and neither handles it again nor holds up the next', async () => {
      const first = message(deputies[7]!);
      const linesBefore = deps.logs.lines.length;
      recorder.failUpdates = true;
      const answer = await handle(first);
      await runtime.dispatcher.drain();
      recorder.failUpdates = false;
      expect(answer.kind).toBe('reply');
      expect(answer.kind === 'reply' && answer.reply.text).toContain('请假');
      const logged = deps.logs.lines
        .slice(linesBefore)
        .filter((l) => l.includes('answer given but not stored'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).not.toContain('帮助');
      // The message stays recorded, without its answer.
      expect(await rowsOf([first.messageKey])).toEqual([
        { message_key: first.messageKey, status: 'received' },
      ]);
      // A repeat of the callback is not handled a second time.
      expect((await handle({ ...first })).kind).toBe('deferred');
      expect(await rowsOf([first.messageKey])).toHaveLength(1);
      // The person's turn ended: their next message is answered at once, not after their lock's lifetime.
      const started = Date.now();
      const next = await handle(message(deputies[7]!));
      expect(next.kind).toBe('reply');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('handles a message it recorded even when another copy of it took the dedupe mark first', async () => {
      const m = message(deputies[6]!);
      // The other copy found the message recorded by this one, and leaves it.
      await deps.store.set(`dedupe:wecom:${m.messageKey}`, 'inflight', 60_000);
      const out = await handle(m);
      expect(out.kind === 'reply' && out.reply.text).toContain('请假');
      await runtime.dispatcher.drain();
      expect(await rowsOf([m.messageKey])).toEqual([{ message_key: m.messageKey, status: 'handled' }]);
    });

    it('has a message recorded while the store was down handled when the platform retries it', async () => {
      const m = message(deputies[6]!);
      const down = new Proxy(deps.store, {
        get(target, name, receiver) {
          if (name === 'claim') return () => Promise.reject(new Error('store down'));
          return Reflect.get(target, name, receiver);
        },
      });
      const cut = createRuntime({ ...deps, store: down });
      await expect(cut.dispatcher.handle(m, { budgetMs: 4000, maxReplyBytes: 2048 })).rejects.toThrow(
        'store down',
      );
      expect(await rowsOf([m.messageKey])).toEqual([{ message_key: m.messageKey, status: 'failed' }]);
      const retried = await handle({ ...m });
      expect(retried.kind === 'reply' && retried.reply.text).toContain('请假');
      await runtime.dispatcher.drain();
      expect(await rowsOf([m.messageKey])).toEqual([{ message_key: m.messageKey, status: 'handled' }]);
    });

    it('answers a repeat with the stored answer and records the message once', async () => {
      const first = message(deputies[4]!);
      const answer = await handle(first);
      expect(answer.kind).toBe('reply');
      const again = await handle({ ...first });
      expect(again).toEqual(answer);
      // Two copies at once: one is handled, the other is not handled twice.
      const twin = message(deputies[5]!);
      const both = await Promise.all([handle(twin), handle({ ...twin })]);
      expect(both.filter((o) => o.kind === 'reply').length).toBeGreaterThanOrEqual(1);
      expect(await rowsOf([first.messageKey, twin.messageKey])).toHaveLength(2);
    });
  });
}
