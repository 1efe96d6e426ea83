import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { sendBookingReminders, sendReceptionAgendas } from '../../src/services/reception/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedCongress, seedPerson, setCongressSettings } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 大同 第七条(九) (S2): the date, booking, cancelling, who may book, the host's agenda, the day before, and a
// calendar correction that moves a booked day.

const CITY = '大同市第十六届人民代表大会';

const TOWN = '西坪镇第十八届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`reception day on ${backend.name}`, () => {
    let chat: ChatHarness;
    let api: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const call = createApi<unknown>(() => api.url);
    const bookings = () => chat.deps.db.selectFrom('reception_bookings').selectAll().orderBy('id').execute();
    const jd = (t: string) => /JD-\d{4}-\d{4,}/.exec(t)?.[0] ?? '';
    /** The ledger rows of the hosts' topics or the bookers' reminders, with whom their message went to. */
    const ledger = (kind: 'agenda' | 'reminder') =>
      chat.deps.db
        .selectFrom('reminder_ledger as r')
        .leftJoin('outbox as o', 'o.id', 'r.outbox_id')
        .select([
          'r.rule',
          'r.period',
          'r.target',
          'r.job',
          'r.due_on',
          'r.event_on',
          'r.late',
          'r.created_at',
        ])
        .select(['o.channel', 'o.target_address as sent_to'])
        .where('r.period', 'like', `%:${kind}`)
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      api = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      const city = await seedCityRoster(chat.deps, { deputies: ['ZhangSan', 'WangEr'] });
      const town = await seedCongress(db, TOWN, 'township');
      await setCongressSettings(db, city, { receptionHosts: ['LiSi'], agendaLeadWorkingDays: 3 });
      await setCongressSettings(db, town, { whoMayBook: 'none' });
      await seedPerson(db, { name: '赵六', wecom: 'ZhaoLiu', congressId: town });
    });
    afterAll(async () => {
      await api.close();
      await chat.close();
    });

    it('answers the date of a month’s reception day with its weekday', async () => {
      const text = await chat.say('ZhangSan', '接待日 2026-12');
      // 2026-12-05 is a Saturday: the first working day after it.
      expect(text).toContain('2026-12-07（星期一）');
      expect(text).toContain('接待人：LiSi');
    });

    it('after this month’s day has passed, gives the next one and offers to book that month', async () => {
      const text = await chat.say('ZhangSan', '这个月接待日是哪天');
      expect(text).toContain('2026-11-05（星期四）');
      expect(text).toContain('下个月的接待日是 2026-12-07（星期一）');
      expect(text).toContain('预约接待日 2026-12 话题');
      expect(text).not.toContain('预约接待日 2026-11');
      expect(text).toContain('大同 第七条(九)');
    });

    it('books next month’s day on 预约 after asking about this month’s past one, and cancels it', async () => {
      await seedPerson(chat.deps.db, {
        name: '孙七',
        wecom: 'SunQi',
        congressId: await seedCongress(chat.deps.db, CITY),
      });
      expect(await chat.say('SunQi', '这个月接待日我能去吗')).toContain('下个月的接待日是 2026-12-07');
      // "我要见主任" right after: not refused for November, whose day has passed.
      const booked = await chat.say('SunQi', '我要见主任');
      expect(booked).toContain('已预约接待日');
      expect(booked).toContain('2026-12-07（星期一）');
      const code = jd(booked);
      expect((await bookings()).find((b) => b.code === code)).toMatchObject({
        status: 'booked',
        topic: null,
      });
      expect(await chat.say('SunQi', `取消预约 ${code}`)).toContain('已取消');
    });

    it('books with a code and the topic, and cancels', async () => {
      const text = await chat.say('ZhangSan', '预约接待日 2026-12 老旧小区停车难');
      const code = jd(text);
      expect(code).toMatch(/^JD-2026-\d{4}$/);
      expect(text).toContain('2026-12-07（星期一）');
      const other = jd(await chat.say('WangEr', '预约接待日 2026-12 供暖'));
      expect(await chat.say('WangEr', `取消预约 ${other}`)).toContain('已取消');
      const rows = await bookings();
      expect(rows.find((b) => b.code === code)).toMatchObject({ status: 'booked', topic: '老旧小区停车难' });
      expect(rows.find((b) => b.code === other)!.status).toBe('cancelled');
    });

    it('refuses someone else’s booking and a deputy whose congress does not take bookings, changing nothing', async () => {
      const before = await bookings();
      const mine = before.find((b) => b.status === 'booked')!;
      expect(await chat.say('WangEr', `取消预约 ${mine.code}`)).toContain('没有找到');
      const refused = await chat.say('ZhaoLiu', '预约接待日 2026-12 道路');
      expect(refused).toContain('不接受');
      expect(await bookings()).toEqual(before);
    });

    it('sends the host the booked topics three working days before', async () => {
      clock.set('2026-12-01T02:00:00Z'); // Tuesday: too early
      expect(await sendReceptionAgendas(chat.deps, 'reception-agendas')).toBe(0);
      clock.set('2026-12-02T02:00:00Z'); // Wednesday: three working days before Monday 12-07
      expect(await sendReceptionAgendas(chat.deps, 'reception-agendas')).toBe(1);
      expect(await sendReceptionAgendas(chat.deps, 'reception-agendas')).toBe(0);
      const host = (await chat.inbox('LiSi')).join('\n');
      expect(host).toContain('【接待日议题】');
      expect(host).toContain('老旧小区停车难');
      expect(host).not.toContain('供暖');
      // The ledger row says which job sent it, the day it fell due, the day it announces and its message.
      const lisi = await chat.deps.db
        .selectFrom('person_identities')
        .select('person_id')
        .where('external_id', '=', 'LiSi')
        .executeTakeFirstOrThrow();
      const row = {
        rule: 'S2',
        period: '2026-12:2026-12-07:agenda',
        target: `person:${lisi.person_id}`,
        job: 'reception-agendas',
        due_on: '2026-12-02',
        event_on: '2026-12-07',
        late: false,
        created_at: new Date('2026-12-02T02:00:00Z'),
        channel: 'wecom',
        sent_to: 'LiSi',
      };
      expect(await ledger('agenda')).toEqual([row]);
      // The host's DingTalk account, added the next day, is not sent the topics a second time.
      await chat.deps.db
        .insertInto('person_identities')
        .values({
          person_id: lisi.person_id,
          channel: 'dingtalk',
          external_id: 'lisi-dt',
          external_id_norm: 'lisi-dt',
        })
        .execute();
      clock.set('2026-12-03T02:00:00Z');
      expect(await sendReceptionAgendas(chat.deps, 'reception-agendas')).toBe(0);
      const toDingtalk = await chat.deps.db
        .selectFrom('outbox')
        .select('id')
        .where('target_address', '=', 'lisi-dt')
        .execute();
      expect(toDingtalk).toEqual([]);
      expect(await ledger('agenda')).toEqual([row]);
    });

    it('moves a booked day on a calendar correction and tells the booker at once; reminds the day before', async () => {
      const r = await call('PUT', '/calendar/2026-12-07', { kind: 'holiday', note: '测试更正' });
      expect(r.status).toBe(200);
      const told = (await chat.inbox('ZhangSan')).join('\n');
      expect(told).toContain('【工作日历调整】');
      expect(told).toContain('2026-12-08（星期二）');
      clock.set('2026-12-04T02:00:00Z'); // Friday: the working day before Tuesday 12-08 (12-07 is now a rest day)
      expect(await sendBookingReminders(chat.deps, 'booking-reminders')).toBe(1);
      expect(await sendBookingReminders(chat.deps, 'booking-reminders')).toBe(0);
      expect((await chat.inbox('ZhangSan')).join('\n')).toContain('【接待日提醒】');
      const code = (await bookings()).find((b) => b.status === 'booked')!.code;
      expect(await ledger('reminder')).toEqual([
        {
          rule: 'S2',
          period: '2026-12:2026-12-08:reminder',
          target: `booking:${code}`,
          job: 'booking-reminders',
          due_on: '2026-12-04',
          event_on: '2026-12-08',
          late: false,
          created_at: new Date('2026-12-04T02:00:00Z'),
          channel: 'wecom',
          sent_to: 'ZhangSan',
        },
      ]);
      const year = await call('GET', `/reception-days?year=2026&congress=${encodeURIComponent(CITY)}`);
      expect(year.status).toBe(200);
      const dec = (year.json as { month: string; bookings: unknown[] }[]).find((m) => m.month === '2026-12');
      expect(dec).toMatchObject({ date: '2026-12-08', host: 'LiSi', provisional: false });
      expect(dec?.bookings).toHaveLength(1);
      clock.set('2026-11-23T02:00:00Z');
    });
  });
}
