import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import {
  bookingsOf as bookingsOfRows,
  leaveOf as leaveOfRows,
  seedCityGroupActivity,
  seedInspection,
} from '../helpers/deputy-round.ts';
import { seedCongress, seedGroup, seedPeople, seedSession, setCongressSettings } from '../helpers/seed.ts';

// Leave, the reception day and invitations as deputies say them: an elderly deputy's dialect and
// speech without punctuation, a busy one's three words, a careless one's slips. Each scene checks what
// the deputy reads and what the database then holds.

const CITY = '大同市第十六届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(
    `a deputy's spoken leave, bookings and invitations on ${backend.name}`,
    () => {
      let chat: ChatHarness;
      const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
      const db = () => chat.deps.db;
      const bookingsOf = (wecom: string) => bookingsOfRows(db(), wecom);
      const leaveOf = (wecom: string) => leaveOfRows(db(), wecom);
      const answersOf = (wecom: string) =>
        db()
          .selectFrom('activity_participants as i')
          .innerJoin('activities as a', 'a.id', 'i.activity_id')
          .innerJoin('mandates as m', 'm.id', 'i.mandate_id')
          .innerJoin('person_identities as pi', 'pi.person_id', 'm.person_id')
          .select(['a.code', 'i.response'])
          .where('pi.external_id', '=', wecom)
          .where('i.response', 'is not', null)
          .orderBy('a.code')
          .execute();
      const inspectionRequests = () => db().selectFrom('inspection_requests').select('content').execute();
      let inspection = '';
      let groupStudy = '';

      beforeAll(async () => {
        chat = await createChatHarness(backend.name, { clock });
        const city = await seedCongress(db());
        await setCongressSettings(db(), city, { receptionHosts: ['LiSi'] });
        const deputies = [
          ['张大爷', 'ZhangDaYe'],
          ['王忙', 'WangMang'],
          ['李粗心', 'LiCuXin'],
          ['赵六', 'ZhaoLiu'],
          ['钱七', 'QianQi'],
          ['孙八', 'SunBa'],
          ['周九', 'ZhouJiu'],
          ['吴十', 'WuShi'],
          ['郑一', 'ZhengYi'],
        ] as const;
        await seedPeople(db(), city, deputies);
        await seedPeople(db(), city, [['李四', 'LiSi']], 'approver');
        await seedGroup(db(), { congressId: city, name: '城区代表小组' });
        await seedSession(chat.deps, {
          congress: CITY,
          name: '常委会第三十次会议',
          startsOn: '2026-12-10',
          endsOn: '2026-12-11',
        });
        const all = deputies.map(([, w]) => w).filter((w) => w !== 'ZhengYi');
        inspection = await seedInspection(chat.deps, '2026-12-15', [...all, 'ZhengYi']);
        groupStudy = await seedCityGroupActivity(chat.deps, '城区小组学习活动', '2026-12-09', all);
      });
      afterAll(async () => {
        await chat?.close();
      });

      describe('when the meetings are', () => {
        it('answers "常委会啥时候开啊" with the meetings ahead, and "我能不能不去" asks which, taking no question as a reason', async () => {
          for (const asked of ['常委会啥时候开啊', '最近有会吗']) {
            const r = await chat.say('WuShi', asked);
            expect(r, asked).toContain('您近期的会议和活动：');
            expect(r, asked).toContain('常委会第三十次会议（12月10日（星期四）至11日（星期五））');
            expect(r, asked).toContain('不能参加的话，请发“请假 会议名称 事由”');
          }
          const r = await chat.say('WuShi', '我能不能不去');
          expect(r).toContain('请问您要请假的是哪个会议或活动？');
          expect(await leaveOf('WuShi')).toEqual([]);
          expect(await chat.say('WuShi', '常委会')).toContain('事由');
          expect(await leaveOf('WuShi')).toEqual([]);
          expect(await chat.say('WuShi', '取消')).toContain('已取消');
        });
      });

      describe('the reception day', () => {
        it('books "预约接待日 下个月" with no topic, never “话题：下个月”', async () => {
          const r = await chat.say('ZhangDaYe', '预约接待日 下个月');
          expect(r).toContain('已预约接待日');
          expect(r).toContain('2027-01-05（星期二）');
          expect(r).not.toContain('话题：');
          expect(await bookingsOf('ZhangDaYe')).toEqual([
            expect.objectContaining({ month: '2027-01', topic: null, status: 'booked' }),
          ]);
          // "俺想去" is the wish to go, not what the host is told about.
          expect(await chat.say('ZhangDaYe', '预约接待日 二月 俺想去')).not.toContain('话题：');
          expect((await bookingsOf('ZhangDaYe'))[1]).toMatchObject({ month: '2027-02', topic: null });
        });

        it('books "接待日 下月 停车难" with its topic, and only shows the day for "接待日 下月 几号"', async () => {
          const r = await chat.say('WangMang', '接待日 下月 停车难');
          expect(r).toContain('已预约接待日');
          expect(r).toContain('话题：停车难');
          expect(await bookingsOf('WangMang')).toEqual([
            expect.objectContaining({ month: '2027-01', topic: '停车难', status: 'booked' }),
          ]);
          const asked = await chat.say('WangMang', '接待日 二月 几号');
          expect(asked).toContain('2027年2月的主任接待代表日是');
          expect(asked).not.toContain('已预约');
          expect(await bookingsOf('WangMang')).toHaveLength(1);
          // "说说" opens the topic; it is no part of it.
          await chat.say('WangMang', '接待日 三月 说说老旧小区加装电梯');
          expect((await bookingsOf('WangMang'))[1]).toMatchObject({
            month: '2027-03',
            topic: '老旧小区加装电梯',
          });
        });

        it('offers to cancel the booking just made on "俺不去了 取消吧", never asking a leave reason', async () => {
          const code = /JD-\d{4}-\d{4}/.exec(await chat.say('ZhaoLiu', '预约接待日 下个月 停车难'))![0];
          const r = await chat.say('ZhaoLiu', '俺不去了 取消吧');
          expect(r).toContain(`您的预约：${code}`);
          expect(r).toContain('确定取消吗');
          expect(r).not.toContain('事由');
          expect(await chat.say('ZhaoLiu', '是')).toContain(`已取消预约 ${code}`);
          expect(await bookingsOf('ZhaoLiu')).toEqual([
            expect.objectContaining({ code, status: 'cancelled' }),
          ]);
          expect(await leaveOf('ZhaoLiu')).toEqual([]);
          // The booking gone, "好的 俺准时到" is no longer told it stands.
          expect(await chat.say('ZhaoLiu', '好的 俺准时到')).not.toContain('已经约上了');
        });

        it('asks before cancelling on "算了不约了", and 请假 said in so many words is still leave', async () => {
          const code = /JD-\d{4}-\d{4}/.exec(await chat.say('QianQi', '预约接待日 下个月 停车难'))![0];
          const r = await chat.say('QianQi', '算了不约了');
          expect(r).toContain(`您的预约：${code}`);
          expect((await bookingsOf('QianQi'))[0]!.status).toBe('booked');
          expect(await chat.say('QianQi', '否')).not.toContain('已取消预约');
          expect((await bookingsOf('QianQi'))[0]!.status).toBe('booked');
          // A bare 取消 leaves the booking and offers the cancellation as a button.
          const bare = await chat.send('QianQi', { kind: 'text', text: '取消' });
          expect(bare?.text).toContain(`刚才的预约 ${code} 还在`);
          expect(bare?.buttons).toEqual([{ label: '取消预约', command: `取消预约 ${code}` }]);
          expect(await chat.say('QianQi', '请假 家里有事')).toContain('请问您要请假的是哪个会议或活动');
          expect((await bookingsOf('QianQi'))[0]!.status).toBe('booked');
        });

        it('acknowledges the booking on "好的 俺准时到" rather than answering an invitation', async () => {
          const code = /JD-\d{4}-\d{4}/.exec(await chat.say('SunBa', '预约接待日 下个月'))![0];
          const r = await chat.say('SunBa', '好的 俺准时到');
          expect(r).toContain(`您的接待日预约 ${code} 已经约上了`);
          expect(await answersOf('SunBa')).toEqual([]);
        });
      });

      describe('invitations', () => {
        it('attends the inspection on "视察的通知收到了 俺准时参加", never filing a 视察 request of those words', async () => {
          const r = await chat.say('ZhouJiu', '视察的通知收到了 俺准时参加');
          expect(r).toContain(`您将参加 ${inspection} 视察老旧小区改造工作`);
          expect(await answersOf('ZhouJiu')).toEqual([{ code: inspection, response: 'accepted' }]);
          expect(await inspectionRequests()).toEqual([]);
        });

        it('asks leave from the inspection on "视察的通知收到了 俺去不了 要开会", the notice no part of the reason', async () => {
          const r = await chat.say('WuShi', '视察的通知收到了 俺去不了 要开会');
          expect(r).toContain(`已记录您不能参加 ${inspection}`);
          expect(r).toContain('事由：要开会');
          expect(await leaveOf('WuShi')).toEqual([
            expect.objectContaining({ reason: '要开会', activity: inspection }),
          ]);
          expect(await inspectionRequests()).toEqual([]);
        });

        it('finds the inspection in "视察那天我去不了 我要去医院复查"', async () => {
          const r = await chat.say('LiCuXin', '视察那天我去不了 我要去医院复查');
          expect(r).toContain(`已记录您不能参加 ${inspection}`);
          expect(r).not.toContain('没有找到');
          expect(await leaveOf('LiCuXin')).toEqual([
            expect.objectContaining({ reason: '我要去医院复查', activity: inspection }),
          ]);
        });

        it('asks which on "收到 我去" with two invitations waiting, and records the one picked', async () => {
          const r = await chat.say('WangMang', '收到 我去');
          expect(r).toContain('请问是哪一项');
          expect(r).toContain(groupStudy);
          expect(await answersOf('WangMang')).toEqual([]);
          expect(await chat.say('WangMang', '2')).toContain(`您将参加 ${inspection}`);
          expect(await answersOf('WangMang')).toEqual([{ code: inspection, response: 'accepted' }]);
        });

        it('asks before recording "俺能去" with one invitation waiting', async () => {
          const r = await chat.say('ZhengYi', '俺能去');
          expect(r).toContain(inspection);
          expect(await answersOf('ZhengYi')).toEqual([]);
          expect(await chat.say('ZhengYi', '是')).toContain(`您将参加 ${inspection}`);
          expect(await answersOf('ZhengYi')).toEqual([{ code: inspection, response: 'accepted' }]);
        });

        it('shows the duty record for "俺今年都参加了啥活动", offering no invitation to accept', async () => {
          const r = await chat.send('ZhangDaYe', { kind: 'text', text: '俺今年都参加了啥活动' });
          expect(r?.text).toContain('【2026年履职记录】');
          expect(r?.buttons ?? []).toEqual([]);
          expect(await answersOf('ZhangDaYe')).toEqual([]);
        });
      });

      describe('a question asked while the reason is asked', () => {
        it('answers "接待日是哪天" and keeps asking the reason; "出差" then files the leave', async () => {
          expect(await chat.say('SunBa', '请假 常委会')).toContain('请问请假的事由是什么');
          const r = await chat.say('SunBa', '接待日是哪天');
          expect(r).toContain('2026-12-07（星期一）');
          expect(r).toContain('（“请假”还没办完）请问请假的事由是什么？');
          const filed = await chat.say('SunBa', '出差');
          expect(filed).toContain('已提交请假');
          expect(filed).toContain('事由：出差');
          expect(await leaveOf('SunBa')).toEqual([
            expect.objectContaining({ reason: '出差', session: '常委会第三十次会议' }),
          ]);
        });

        it('answers 查询 the same way, and 取消 still ends the leave', async () => {
          await chat.say('ZhouJiu', '请假 常委会');
          expect(await chat.say('ZhouJiu', '查一下俺请的假批了没')).toContain('（“请假”还没办完）');
          expect(await chat.say('ZhouJiu', '取消')).toContain('已取消“请假”');
          expect(await chat.say('ZhouJiu', '出差')).not.toContain('已提交请假');
          expect(await leaveOf('ZhouJiu')).toEqual([]);
        });
      });
    },
  );
}
