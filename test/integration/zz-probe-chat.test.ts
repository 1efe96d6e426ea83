import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ChatMessage } from '../../src/channels/types.ts';
import { FixedClock } from '../../src/clock.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// Scratch probe (not to be committed). SCRIPT='[["Elder","请假"],["Elder",{"photo":true}],["*",{"advance":60}]]'

type Step =
  | string
  | { voice: string }
  | { photo: true }
  | { location: string }
  | { advance: number }
  | { button: number };

const PEOPLE: [string, string, 'deputy' | 'staff' | 'approver'][] = [
  ['Elder', '张秀英', 'deputy'],
  ['Busy', '王建国', 'deputy'],
  ['Careless', '刘志强', 'deputy'],
  ['Staff', '小王', 'staff'],
  ['OrganiserLi', '李主任', 'approver'],
];

describe('probe', () => {
  let chat: ChatHarness;
  const clock = new FixedClock(process.env.NOW ?? '2026-12-02T02:00:00Z');
  const persons: Record<string, { personId: number; mandateId: number }> = {};
  const seen: Record<string, number> = {};
  let cityId = 0;
  const activityIds: number[] = [];
  const organs: Record<string, number> = {};
  let serial = 0;

  beforeAll(async () => {
    chat = await createChatHarness('pglite+memory', { clock });
    const db = chat.deps.db;
    cityId = await seedCongress(db, '大同市第十六届人民代表大会', 'city');
    for (const name of ['市城管局', '市公安局交警支队', '市住建局', '市财政局', '市水务局']) {
      organs[name] = (await db.insertInto('organs').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
    }
    for (const [uid, name, role] of PEOPLE) {
      if (role === 'deputy') continue;
      persons[uid] = await seedPerson(db, { name, wecom: uid, congressId: cityId, role });
      seen[uid] = 0;
    }
    await db
      .insertInto('sessions')
      .values({
        congress_id: cityId,
        name: '大同市第十六届人民代表大会第七次会议',
        starts_on: '2027-01-12',
        ends_on: '2027-01-15',
      })
      .execute();
    const acts: [string, string, string, string][] = [
      ['sitting_in', '列席市人大常委会第三十一次会议', '2026-12-09T01:00:00Z', '2026-12-10T09:00:00Z'],
      ['study', '第一代表小组集中学习', '2026-12-08T01:00:00Z', '2026-12-08T04:00:00Z'],
      ['inspection', '视察老旧小区改造工作', '2026-12-15T01:00:00Z', '2026-12-15T07:00:00Z'],
      ['small_group', '第一代表小组活动：走访和平街社区', '2026-12-18T01:00:00Z', '2026-12-18T04:00:00Z'],
    ];
    let n = 900;
    for (const [kind, title, s, e] of acts) {
      const row = await db
        .insertInto('activities')
        .values({
          code: `HD-2026-0${n++}`,
          congress_id: cityId,
          kind: kind as never,
          title,
          organiser: 'OrganiserLi',
          group_id: null,
          station_id: null,
          starts_at: new Date(s),
          ends_at: new Date(e),
          place: '市人大常委会机关',
          created_by: 'seed',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      activityIds.push(row.id);
    }
    await chat.flush();
    for (const uid of Object.keys(persons)) seen[uid] = chat.wecom.inbox(uid).length;
  }, 180_000);

  async function seedDeputies(tag: string): Promise<void> {
    const db = chat.deps.db;
    for (const [base, name0, role] of PEOPLE) {
      if (role !== 'deputy') continue;
      const uid = `${base}${tag}`;
      persons[uid] = await seedPerson(db, { name: `${name0}${tag}`.replace(/\d+$/, (d) => '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉'[Number(d)] ?? d), wecom: uid, congressId: cityId });
      seen[uid] = 0;
      for (const a of activityIds)
        await db
          .insertInto('activity_participants')
          .values({ activity_id: a, mandate_id: persons[uid]!.mandateId, invited: true, response: null })
          .execute();
      const p = persons[uid]!;
      const item = async (on: string, content: string, state: { organ?: string; answeredOn?: string }) => {
        const code = `JY-2026-${String(5000 + serial++).padStart(4, '0')}`;
        const status = state.answeredOn ? 'answered' : state.organ ? 'assigned' : 'submitted';
        const row = await db
          .insertInto('suggestions')
          .values({
            code,
            congress_id: cityId,
            kind: '建议',
            title: null,
            content,
            photos: JSON.stringify([]) as never,
            location: null as never,
            status,
            round: state.organ ? 1 : 0,
            rating: null,
            entered_by: null,
            entered_by_name: null,
            source_inbound_id: null,
            activity_id: null,
            submitted_on: on,
            answered_on: state.answeredOn ?? null,
            created_at: new Date(`${on}T02:00:00Z`),
            updated_at: new Date(`${on}T02:00:00Z`),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('suggestion_deputies')
          .values({ suggestion_id: row.id, mandate_id: p.mandateId, person_id: p.personId, author: true })
          .execute();
        if (state.organ) {
          const deadline = await db
            .insertInto('deadlines')
            .values({
              kind: 'S8',
              subject_type: 'suggestion',
              subject_id: code,
              congress_id: cityId,
              label: `建议 ${code} 的答复期限`,
              starts_on: on,
              months: 3,
              target_on: null,
              due_on: state.answeredOn ? '2026-11-05' : '2026-12-08',
              provisional: false,
              closed_at: state.answeredOn ? new Date(`${state.answeredOn}T02:00:00Z`) : null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await db
            .insertInto('suggestion_assignments')
            .values({
              suggestion_id: row.id,
              round: 1,
              organ_id: organs[state.organ]!,
              role: 'lead',
              assigned_on: on,
              assigned_by: '代表工委',
              deadline_id: deadline.id,
              status: state.answeredOn ? 'answered' : 'open',
              answer_done: state.answeredOn ? '已在早上上学时段安排交警在门口疏导交通。' : null,
              answer_planned: null,
              answer_planned_by: null,
              answer_cannot: null,
              answer_cannot_reason: null,
              answer_signed_by: state.answeredOn ? '王科长' : null,
              answered_on: state.answeredOn ?? null,
              answered_by: state.answeredOn ? state.organ : null,
              ended_reason: null,
              ended_at: null,
            })
            .execute();
        }
      };
      await item(
        '2026-11-10',
        '关于老旧小区加装电梯补贴的建议：我们小区六层没有电梯，老人上下楼困难，希望落实加装电梯补贴',
        {},
      );
      await item('2026-09-08', '建议修复和平街小区门口的路灯，方便居民夜间出行', { organ: '市城管局' });
      await item('2026-08-05', '建议学校门口上下学时段安排交警疏导交通，保障学生安全', {
        organ: '市公安局交警支队',
        answeredOn: '2026-11-25',
      });
      if (process.env.BOOKED) {
        await db
          .insertInto('reception_bookings')
          .values({
            code: `JD-2026-${String(5000 + serial++).padStart(4, '0')}`,
            congress_id: cityId,
            mandate_id: p.mandateId,
            month: '2026-12',
            topic: '小区停车难',
            created_at: clock.now(),
          })
          .execute();
      }
    }
  }

  afterAll(async () => {
    await chat?.close();
  });

  it('runs the scripts', async () => {
    const scripts = JSON.parse(process.env.SCRIPTS ?? '{}') as Record<string, [string, Step][]>;
    let tagN = 0;
    let k = 0;
    for (const [name, script] of Object.entries(scripts)) {
      const tag = String(++tagN);
      clock.set(process.env.NOW ?? '2026-12-02T02:00:00Z');
      const firstCode = serial;
      await seedDeputies(tag);
      console.log(`\n################ ${name}  (Elder items JY-2026-${5000 + firstCode}..+2 电梯/路灯/交警答复; Busy +3.., Careless +6..)`);
      const sinceSug = await chat.deps.db.selectFrom('suggestions').select('id').orderBy('id', 'desc').executeTakeFirst();
      const base = { sug: sinceSug?.id ?? 0 };
      let last: { buttons?: { label: string; command: string }[] } | null = null;
      for (const [who0, step] of script) {
        const who = PEOPLE.find((x) => x[0] === who0)?.[2] === 'deputy' ? `${who0}${tag}` : who0;
        let msg: Partial<ChatMessage>;
        let shown: string;
        if (typeof step === 'string') {
          msg = { kind: 'text', text: step };
          shown = step;
        } else if ('advance' in step) {
          clock.advance(step.advance * 60_000);
          console.log(`\n~~~ ${step.advance} minutes later (${clock.now().toISOString()}) ~~~`);
          continue;
        } else if ('voice' in step) {
          msg = { kind: 'voice', text: step.voice, media: { mediaId: `voice-${k++}` } };
          shown = `[voice] ${step.voice}`;
        } else if ('photo' in step) {
          msg = { kind: 'image', media: { mediaId: `photo-${k++}`, url: 'http://127.0.0.1:9/p.jpg' } };
          shown = '[photo]';
        } else if ('location' in step) {
          msg = { kind: 'location', location: { latitude: 40.08, longitude: 113.3, label: step.location } };
          shown = `[location] ${step.location}`;
        } else {
          const b = last?.buttons?.[step.button - 1];
          if (!b) {
            console.log(`!!! no button ${step.button}`);
            continue;
          }
          msg = { kind: 'text', text: b.command };
          shown = `[button ${step.button}: ${b.label}] -> ${b.command}`;
        }
        const reply = await chat.send(who, msg);
        last = reply;
        const lines = [`\n>>> ${who0}: ${shown}`, `<<< ${(reply?.text ?? '(no direct reply)').replace(/\n/g, '\n    ')}`];
        if (reply?.buttons?.length)
          lines.push(`    [buttons] ${reply.buttons.map((b, i) => `${i + 1}:${b.label}=>${b.command}`).join(' | ')}`);
        await chat.flush();
        for (const uid of Object.keys(persons)) {
          const box = chat.wecom.inbox(uid);
          for (const d of box.slice(seen[uid]))
            lines.push(`  ~> [to ${uid}] ${String(d.text).replace(/\n/g, '\n       ')}`);
          seen[uid] = box.length;
        }
        console.log(lines.join('\n'));
      }
      await dump(tag, base.sug, firstCode);
    }
  }, 900_000);

  async function dump(tag: string, sinceSug: number, firstCode: number): Promise<void> {
    const db = chat.deps.db;
    const mine = ['Elder', 'Busy', 'Careless'].map((b) => persons[`${b}${tag}`]!.mandateId);
    const out: string[] = ['===== DB ====='];
    const sug = await db
      .selectFrom('suggestions')
      .select(['id', 'code', 'kind', 'status', 'rating', 'content', 'photos', 'location'])
      .where((eb) => eb.or([eb('id', '>', sinceSug), eb('code', '>=', `JY-2026-${5000 + firstCode}`)]))
      .where('code', 'not like', 'JY-2026-5%')
      .execute();
    for (const s of sug)
      out.push(
        `SUG ${s.code} ${s.kind} ${s.status} rating=${s.rating} photos=${Array.isArray(s.photos) ? s.photos.length : s.photos} loc=${s.location ? JSON.stringify(s.location) : '-'} :: ${s.content}`,
      );
    const olds = await db
      .selectFrom('suggestions')
      .select(['code', 'status', 'rating', 'content', 'photos'])
      .where('code', '>=', `JY-2026-${5000 + firstCode}`)
      .where('code', '<=', `JY-2026-${5000 + firstCode + 8}`)
      .execute();
    const orig: Record<number, string> = { 0: 'submitted', 1: 'assigned', 2: 'answered' };
    for (const s of olds) {
      const i = (Number(s.code.slice(-4)) - 5000 - firstCode) % 3;
      const photos = Array.isArray(s.photos) ? s.photos.length : 0;
      if (s.status !== orig[i] || s.rating || photos || !/^(关于老旧小区加装电梯补贴的建议：我们小区六层没有电梯，老人上下楼困难，希望落实加装电梯补贴|建议修复和平街小区门口的路灯，方便居民夜间出行|建议学校门口上下学时段安排交警疏导交通，保障学生安全)$/.test(s.content))
        out.push(`OLD* ${s.code} ${s.status} rating=${s.rating} photos=${photos} :: ${s.content}`);
    }
    const ev = await db
      .selectFrom('suggestion_events')
      .innerJoin('suggestions', 'suggestions.id', 'suggestion_events.suggestion_id')
      .select(['suggestions.code', 'action', 'summary', 'reason'])
      .where((eb) => eb.or([eb('suggestions.id', '>', sinceSug), eb('suggestions.code', '>=', `JY-2026-${5000 + firstCode}`)]))
      .where((eb) => eb.or([eb('suggestions.code', 'not like', 'JY-2026-5%'), eb('suggestions.code', '<=', `JY-2026-${5000 + firstCode + 8}`)]))
      .execute();
    for (const e of ev) out.push(`EVT ${e.code} ${e.action} :: ${e.summary} | reason=${e.reason}`);
    const urges = await db
      .selectFrom('suggestion_urges')
      .innerJoin('suggestions', 'suggestions.id', 'suggestion_urges.suggestion_id')
      .select(['suggestions.code'])
      .where('suggestions.code', '>=', `JY-2026-${5000 + firstCode}`)
      .where('suggestions.code', '<=', `JY-2026-${5000 + firstCode + 8}`)
      .execute();
    for (const u of urges) out.push(`URGE ${u.code}`);
    const lv = await db.selectFrom('leave_requests').selectAll().where('mandate_id', 'in', mine).execute();
    for (const l of lv)
      out.push(`LEAVE ${l.code} m=${l.mandate_id} session=${l.session_id} activity=${l.activity_id} ${l.status} :: ${l.reason}`);
    const bk = await db.selectFrom('reception_bookings').selectAll().where('mandate_id', 'in', mine).execute();
    for (const b of bk) out.push(`BOOK ${b.code} m=${b.mandate_id} ${b.month} ${b.status} topic=${b.topic}`);
    const ap = await db
      .selectFrom('activity_participants')
      .select(['activity_id', 'mandate_id', 'response', 'response_reason'])
      .where('response', 'is not', null)
      .where('mandate_id', 'in', mine)
      .execute();
    for (const a of ap) out.push(`PART act=${a.activity_id} m=${a.mandate_id} ${a.response} :: ${a.response_reason}`);
    const ins = await db.selectFrom('inspection_requests').selectAll().where('mandate_id', 'in', mine).execute();
    for (const i of ins) out.push(`INSP m=${i.mandate_id} :: ${i.content}`);
    console.log(out.join('\n'));
  }
});
