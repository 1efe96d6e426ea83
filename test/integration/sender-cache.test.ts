import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordArrivingMany } from '../../db/repositories/inbound-messages.ts';
import { findSender } from '../../db/repositories/senders.ts';
import { NOT_ON_ROSTER } from '../../src/bot/dispatch/fixed-replies.ts';
import { FixedClock } from '../../src/clock.ts';
import { changeMandateStatus } from '../../src/services/roster/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// An instance keeps the senders it has met, at the roster's version (migration 024). What a deputy sees
// must never lag the roster: a change made anywhere shows on the very next message, on every instance.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`senders kept between messages on ${backend.name}`, () => {
    let chat: ChatHarness;
    let other: ChatHarness;
    let congressId: number;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai

    const version = async () =>
      Number(
        (await sql<{ version: string }>`select version from roster_version`.execute(chat.deps.db)).rows[0]!
          .version,
      );

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      // A second instance on the same database and store, with senders of its own.
      other = await createChatHarness(backend.name, { clock, shareWith: chat });
      congressId = await seedCongress(chat.deps.db);
    });
    afterAll(async () => {
      await other?.close();
      await chat?.close();
    });

    it('refuses a deputy suspended between two messages at once, on both instances', async () => {
      const { mandateId } = await seedPerson(chat.deps.db, { name: '赵六', wecom: 'ZhaoLiu', congressId });
      // Both instances meet the deputy, and again, so each has kept them.
      for (const c of [chat, other]) {
        expect(await c.say('ZhaoLiu', '帮助')).toContain('建议');
        expect(await c.say('ZhaoLiu', '帮助')).toContain('建议');
      }
      await chat.deps.db.transaction().execute((trx) =>
        changeMandateStatus(trx, clock, {
          mandateId,
          to: 'suspended',
          reason: '因涉嫌犯罪被羁押',
          actor: 'test',
          source: 'api',
        }),
      );
      for (const c of [other, chat]) {
        const text = await c.say('ZhaoLiu', '建议 修一修新建北路的路灯');
        expect(text).toContain('暂停执行');
        expect(text).toContain('因涉嫌犯罪被羁押');
      }
      const filed = await chat.deps.db
        .selectFrom('suggestions')
        .select('id')
        .where('content', 'like', '%新建北路%')
        .execute();
      expect(filed).toEqual([]);
    });

    it('answers a stranger who was just added to the roster as the deputy they now are', async () => {
      expect(await chat.say('SunQi', '帮助')).toBe(NOT_ON_ROSTER);
      expect(await other.say('SunQi', '帮助')).toBe(NOT_ON_ROSTER);
      await seedPerson(chat.deps.db, { name: '孙七', wecom: 'SunQi', congressId });
      for (const c of [chat, other]) expect(await c.say('SunQi', '帮助')).toContain('建议');
      const rows = await chat.deps.db
        .selectFrom('inbound_messages')
        .innerJoin('people', 'people.id', 'inbound_messages.person_id')
        .select(['inbound_messages.status'])
        .where('people.name', '=', '孙七')
        .execute();
      expect(rows).toHaveLength(2);
    });

    it('records a message under a kept sender only while the roster stands where it was read', async () => {
      const { personId } = await seedPerson(chat.deps.db, { name: '周八', wecom: 'ZhouBa', congressId });
      const fresh = (await findSender(chat.deps.db, 'wecom', 'ZhouBa'))!;
      const at = await version();
      const arriving = (key: string, kept: { sender: typeof fresh | null; version: number }) => ({
        channel: 'wecom' as const,
        messageKey: key,
        senderId: 'ZhouBa',
        identity: 'wecom' as const,
        msgType: 'text',
        content: { text: '帮助' },
        receivedAt: clock.now(),
        kept,
      });
      const record = async (key: string, kept: { sender: typeof fresh | null; version: number }) =>
        (await recordArrivingMany(chat.deps.db, [arriving(key, kept)], []))[0]!;
      // Kept at the version the roster stands at: used as it is (a name only kept here shows it).
      const keptAs = { ...fresh, name: '周八（留存）' };
      const same = await record('kc-1', { sender: keptAs, version: at });
      expect(same).toMatchObject({ lookedUp: false, rosterVersion: at });
      expect(same.sender?.name).toBe('周八（留存）');
      // The roster moved since: looked up again, and the message recorded under who they are now.
      await chat.deps.db.updateTable('people').set({ name: '周八改' }).where('id', '=', personId).execute();
      const moved = await record('kc-2', { sender: keptAs, version: at });
      expect(moved).toMatchObject({ lookedUp: true, rosterVersion: at + 1 });
      expect(moved.sender?.name).toBe('周八改');
      // Kept as a stranger at an old version: found now, and their message kept whole.
      const known = await record('kc-3', { sender: null, version: at });
      expect(known.sender?.personId).toBe(personId);
      const row = await chat.deps.db
        .selectFrom('inbound_messages')
        .select(['person_id', 'status', 'content'])
        .where('message_key', '=', 'kc-3')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ person_id: personId, status: 'received', content: { text: '帮助' } });
    });

    it('moves the roster version once per transaction that changes it, and not for messages', async () => {
      const before = await version();
      await chat.say('ZhouBa', '帮助');
      await chat.say('ZhouBa', '建议 请把解放路的公交站台加个顶棚');
      expect(await version()).toBe(before);
      // Three people with their identities and mandates in one transaction: one step.
      await chat.deps.db.transaction().execute(async (trx) => {
        for (const name of ['吴九', '郑十', '冯十一']) await seedPerson(trx, { name, congressId });
      });
      expect(await version()).toBe(before + 1);
      // A change rolled back leaves it where it was.
      await expect(
        chat.deps.db.transaction().execute(async (trx) => {
          await trx.updateTable('congresses').set({ name: '改名' }).where('id', '=', congressId).execute();
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await version()).toBe(before + 1);
      // Two roster writers at once both commit, each moving it.
      await Promise.all(
        ['陈十二', '褚十三'].map((name) =>
          chat.deps.db.transaction().execute((trx) => seedPerson(trx, { name, congressId })),
        ),
      );
      expect(await version()).toBe(before + 3);
    });
  });
}
