import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import {
  rateSuggestion,
  remindUnsignedLeads,
  sendOrganDigests,
} from '../../src/services/suggestions/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The organs' side through the API: the whole 交办函 reaching an organ's contacts (text and a kept photo),
// 签收, a return request inside and outside the allowed working days, an assisting organ's part reaching
// the lead, the lead's answer held for review then approved and delivered with the rating buttons,
// 不满意 with its reason reaching the organ, a reminder escalating to the leader, another organ's contact
// refused, and the public page showing an approved item but never a 涉密 one or a withheld name.

interface Payload {
  text?: string;
  buttons?: { label: string; command: string }[];
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the organs' side on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi(() => server.url);
    const tokens: Record<string, string> = {};
    const codes: Record<string, string> = {};
    let deputyId = 0;
    const photo = Buffer.from('JPEG-BYTES-OF-A-BROKEN-STREET-LAMP');

    const to = async (address: string): Promise<Payload[]> =>
      (
        await deps.db
          .selectFrom('outbox')
          .select('payload')
          .where('target_address', '=', address)
          .orderBy('id')
          .execute()
      ).map((r) => r.payload as Payload);
    const texts = async (address: string) => (await to(address)).map((p) => p.text ?? '').join('\n---\n');
    const assignment = (code: string, organ: string) =>
      deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .innerJoin('organs as o', 'o.id', 'a.organ_id')
        .selectAll('a')
        .where('s.code', '=', code)
        .where('o.name', '=', organ)
        .orderBy('a.id', 'desc')
        .executeTakeFirstOrThrow();
    const newItem = async (content: string, lead: string, assisting: string[] = [], secret = false) => {
      const r = await api('POST', '/suggestions', { deputy: 'WangWu', content, secret });
      expect(r.status).toBe(201);
      const code = r.json.code as string;
      expect((await api('POST', `/suggestions/${code}/assignments`, { lead, assisting })).status).toBe(200);
      return code;
    };

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db);
      deputyId = (
        await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', mobile: '13800000001', congressId })
      ).personId;
      for (const [organ, contact, wecom] of [
        ['市住建局', '周科长', 'ZhujianZhou'],
        ['市交通局', '刘科长', 'JiaotongLiu'],
        ['市公安局', '马科长', 'GonganMa'],
      ] as const) {
        await upsertOrgan(
          deps.db,
          organ,
          { contactName: contact, contactMobile: null, contactWecom: wecom, contactDingtalk: null },
          clock.now(),
        );
        const t = await api('POST', '/tokens', { name: `${organ}联系人`, role: 'organ', organ });
        expect(t.status).toBe(201);
        tokens[organ] = t.json.token;
      }
      const leader = await api('POST', `/organs/${encodeURIComponent('市住建局')}/contacts`, {
        name: '张局长',
        wecomUserid: 'ZhujianJuzhang',
        leader: true,
      });
      expect(leader.status).toBe(201);

      // An item with a photo the service kept (fetched from the platform into our own storage).
      const r = await api('POST', '/suggestions', {
        deputy: 'WangWu',
        content: '府西街路灯不亮已经一个月，晚上老人孩子出行不便，请尽快修复并定期巡查',
      });
      codes.lamp = r.json.code;
      const sha = createHash('sha256').update(photo).digest('hex');
      await deps.db
        .insertInto('media_contents')
        .values({
          sha256: sha,
          size: photo.length,
          content_type: 'image/jpeg',
          content: photo,
          created_at: clock.now(),
        })
        .execute();
      const m = await deps.db
        .insertInto('media')
        .values({
          channel: 'wecom',
          platform_id: 'MEDIA-LAMP',
          kind: 'image',
          status: 'fetched',
          next_attempt_at: clock.now(),
          last_error: null,
          sha256: sha,
          size: photo.length,
          content_type: 'image/jpeg',
          inbound_id: null,
          received_at: clock.now(),
          fetched_at: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.db
        .updateTable('suggestions')
        .set({ photos: JSON.stringify([{ mediaId: 'MEDIA-LAMP', stored: m.id }]) })
        .where('code', '=', codes.lamp!)
        .execute();
      expect(
        (
          await api('POST', `/suggestions/${codes.lamp}/assignments`, {
            lead: '市住建局',
            assisting: ['市交通局'],
          })
        ).status,
      ).toBe(200);
      codes.secret = await newItem('某涉密工程选址意见，内容不得外传', '市住建局', [], true);
    });
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('sends the whole 交办函 to every contact, with the buttons 签收 and 申请退回', async () => {
      const letters = (await to('ZhujianZhou')).filter((p) => p.text?.includes(codes.lamp!));
      expect(letters).toHaveLength(1);
      const t = letters[0]!.text!;
      expect(t).toContain('府西街路灯不亮已经一个月，晚上老人孩子出行不便，请尽快修复并定期巡查');
      expect(t).toContain('提出代表：王五（大同市第十六届人民代表大会代表）');
      expect(t).toContain('承办单位：市住建局；协办单位：市交通局');
      expect(t).toMatch(/答复期限：2027-02-2\d（星期.）/);
      expect(t).toContain('2026-11-30（星期一）前');
      expect(t).toContain('照片 1 张');
      expect(t).not.toContain('13800000001');
      expect(letters[0]!.buttons).toEqual([
        { label: '签收', command: `签收 ${codes.lamp}` },
        { label: '申请退回', command: `申请退回 ${codes.lamp}` },
      ]);
      // The leader is one of the organ's contacts: the letter reaches them too.
      expect(await texts('ZhujianJuzhang')).toContain('府西街路灯不亮已经一个月');
    });

    it('lets the contact see the kept photo, and sign for the item', async () => {
      const own = createApi(
        () => server.url,
        () => tokens.市住建局!,
      );
      const res = await fetch(`${server.url}/api/suggestions/${codes.lamp}/photos/1`, {
        headers: { authorization: `Bearer ${tokens.市住建局}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);

      const view = await own('GET', `/suggestions/${codes.lamp}`);
      expect(view.status).toBe(200);
      expect(view.json.letter.content).toContain('府西街路灯不亮');
      expect(view.json.letter.attachments).toBe(1);

      const signed = await own('POST', `/suggestions/${codes.lamp}/sign`);
      expect(signed.status).toBe(200);
      expect(signed.json).toMatchObject({ code: codes.lamp, organ: '市住建局', already: false });
      expect((await assignment(codes.lamp!, '市住建局')).signed_at).not.toBeNull();
      const history = await api('GET', `/suggestions/${codes.lamp}`);
      expect(JSON.stringify(history.json)).toContain('市住建局（承办）签收');
    });

    it('never sends a 涉密 item over the platforms: the contact is told to collect it', async () => {
      const t = (await texts('ZhujianZhou')).split('\n---\n').find((x) => x.includes(codes.secret!))!;
      expect(t).toContain('请到人大常委会代表工作机构领取');
      expect(t).not.toContain('涉密工程选址');
    });

    it('refuses a contact of another organ, and an organ token on staff routes', async () => {
      const other = createApi(
        () => server.url,
        () => tokens.市公安局!,
      );
      expect((await other('GET', `/suggestions/${codes.lamp}`)).status).toBe(404);
      expect((await other('POST', `/suggestions/${codes.lamp}/sign`)).status).toBe(404);
      expect((await other('GET', `/suggestions/${codes.lamp}/photos/1`)).status).toBe(404);
      const r = await other('POST', `/suggestions/${codes.lamp}/answers`, {
        done: '已修复',
        signedBy: '马局长',
        resultClass: 'A',
      });
      expect(r.status).toBe(404);
      const list = await other('GET', '/suggestions');
      expect(list.status).toBe(200);
      expect(list.json).toEqual([]);
      expect(
        (await other('POST', `/suggestions/${codes.lamp}/assignments`, { lead: '市公安局' })).status,
      ).toBe(403);
      expect((await other('GET', '/deputies')).status).toBe(403);
      expect((await deps.db.selectFrom('suggestion_answers').selectAll().execute()).length).toBe(0);
    });

    it('passes an assisting organ’s part to the lead organ', async () => {
      const assist = createApi(
        () => server.url,
        () => tokens.市交通局!,
      );
      const r = await assist('POST', `/suggestions/${codes.lamp}/answers`, {
        done: '已协调公交站台照明同步检修',
        signedBy: '刘副局长',
        contact: '刘科长 0352-1234567',
      });
      expect(r.status).toBe(202);
      expect(r.json.status).toBe('to_lead');
      const lead = await texts('ZhujianZhou');
      expect(lead).toContain('【协办意见】协办单位市交通局');
      expect(lead).toContain('已协调公交站台照明同步检修');
      // The deputy is not told yet: the lead organ answers for the organs.
      expect(await texts('WangWu')).not.toContain('已协调公交站台照明同步检修');
    });

    it('holds the lead’s answer for review, returns it with a note, then approves it for the deputy', async () => {
      const own = createApi(
        () => server.url,
        () => tokens.市住建局!,
      );
      const noClass = await own('POST', `/suggestions/${codes.lamp}/answers`, {
        done: '已修复',
        signedBy: '张局长',
      });
      expect(noClass.status).toBe(400);
      expect(noClass.json.error.message).toContain('A 已解决或采纳');
      const first = await own('POST', `/suggestions/${codes.lamp}/answers`, {
        done: '已更换府西街路灯 12 盏',
        signedBy: '张局长',
        contact: '周科长 0352-7654321',
        docNo: '同住建函〔2026〕88号',
        resultClass: 'A',
      });
      expect(first.status).toBe(202);
      expect(first.json.status).toBe('pending_review');
      expect(await texts('WangWu')).not.toContain('已更换府西街路灯');
      let view = await api('GET', `/suggestions/${codes.lamp}`);
      expect(view.json.status).toBe('assigned');
      expect(view.json.answers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: first.json.answerId, organ: '市住建局', status: 'pending_review' }),
          expect.objectContaining({ organ: '市交通局', status: 'to_lead' }),
        ]),
      );

      const noNote = await api('POST', `/suggestions/${codes.lamp}/answers/${first.json.answerId}/review`, {
        decision: 'return',
      });
      expect(noNote.status).toBe(400);
      const back = await api('POST', `/suggestions/${codes.lamp}/answers/${first.json.answerId}/review`, {
        decision: 'return',
        note: '请写明巡查安排',
      });
      expect(back.status).toBe(200);
      expect(await texts('ZhujianZhou')).toContain('意见：请写明巡查安排');

      const second = await own('POST', `/suggestions/${codes.lamp}/answers`, {
        done: '已更换府西街路灯 12 盏，每周巡查一次',
        signedBy: '张局长',
        contact: '周科长 0352-7654321',
        docNo: '同住建函〔2026〕88号',
        resultClass: 'A',
      });
      expect(second.status).toBe(202);
      const ok = await api('POST', `/suggestions/${codes.lamp}/answers/${second.json.answerId}/review`, {
        decision: 'approve',
      });
      expect(ok.status).toBe(200);
      const toDeputy = (await to('WangWu')).find((p) => p.text?.includes('每周巡查一次'))!;
      expect(toDeputy.text).toContain('办理结果：A类（已解决或采纳）');
      expect(toDeputy.text).toContain('文号：同住建函〔2026〕88号');
      expect(toDeputy.buttons?.map((b) => b.label)).toEqual(['满意', '基本满意', '不满意']);
      view = await api('GET', `/suggestions/${codes.lamp}`);
      expect(view.json.status).toBe('answered');
      const statuses = (view.json.answers as { id: number; status: string }[]).map((a) => [a.id, a.status]);
      expect(statuses).toContainEqual([first.json.answerId, 'returned']);
      expect(statuses).toContainEqual([second.json.answerId, 'approved']);
      const again = await api('POST', `/suggestions/${codes.lamp}/answers/${second.json.answerId}/review`, {
        decision: 'approve',
      });
      expect(again.status).toBe(409);
    });

    it('shows the public page an approved item, never a 涉密 one or a withheld name', async () => {
      expect((await api('POST', `/suggestions/${codes.secret}/publication`, { publish: true })).status).toBe(
        409,
      );
      const pub = await api('POST', `/suggestions/${codes.lamp}/publication`, {
        publish: true,
        withholdName: true,
      });
      expect(pub.status).toBe(200);
      const page = await (await fetch(`${server.url}/public`)).text();
      expect(page).toContain(codes.lamp);
      expect(page).toContain('市住建局');
      expect(page).toContain('已解决或采纳');
      expect(page).toContain('每周巡查一次');
      expect(page).not.toContain('王五');
      expect(page).not.toContain(codes.secret);
      expect(page).not.toContain('涉密工程');
    });

    it('sends 不满意 with its reason to the organ with the new clock', async () => {
      const r = await rateSuggestion(deps, {
        personId: deputyId,
        actor: { id: `person:${deputyId}`, name: '王五', personId: deputyId },
        rating: 'dissatisfied',
        code: codes.lamp,
        comment: '东段路灯仍然不亮',
      });
      expect(r.kind).toBe('rated');
      const t = await texts('ZhujianZhou');
      expect(t).toContain('【重办】');
      expect(t).toContain('东段路灯仍然不亮');
    });

    it('escalates a reminder to the leader after two went unanswered', async () => {
      const code = await newItem('新建北路井盖缺失', '市住建局');
      for (const n of [1, 2]) {
        const r = await api('POST', `/suggestions/${code}/supervision`, { note: `第${n}次督办` });
        expect(r.status).toBe(200);
        expect(r.json.escalated).toEqual([]);
      }
      expect(await texts('ZhujianJuzhang')).not.toContain('【请领导关注】');
      const third = await api('POST', `/suggestions/${code}/supervision`, { note: '第3次督办' });
      expect(third.json.escalated).toEqual(['市住建局']);
      const leader = await texts('ZhujianJuzhang');
      expect(leader).toContain('【请领导关注】此前已提醒 2 次未获答复');
      expect(leader).toContain('第3次督办');
    });

    it('reminds a lead organ that has not signed within 3 working days', async () => {
      clock.set('2026-11-23T02:00:00Z');
      const code = await newItem('御河西路积水', '市交通局');
      clock.set('2026-11-26T02:00:00Z'); // Thursday: 3 working days later, not yet due
      expect(await remindUnsignedLeads(deps)).not.toContain(code);
      clock.set('2026-11-27T02:00:00Z'); // Friday
      expect(await remindUnsignedLeads(deps)).toContain(code);
      expect(await texts('JiaotongLiu')).toContain(`【签收提醒】建议 ${code}`);
      expect(await remindUnsignedLeads(deps)).not.toContain(code);
      clock.set('2026-11-23T02:00:00Z');
    });

    it('allows a return request within the working days and refuses it after', async () => {
      clock.set('2026-11-23T02:00:00Z');
      const own = createApi(
        () => server.url,
        () => tokens.市公安局!,
      );
      const inside = await newItem('小区门口停车收费问题', '市公安局');
      const r = await own('POST', `/suggestions/${inside}/return-request`, {
        reason: '停车收费属于发改委职责',
      });
      expect(r.status).toBe(200);
      expect(r.json.returnBy).toBe('2026-11-30');
      const a = await assignment(inside, '市公安局');
      expect(a.return_request_reason).toBe('停车收费属于发改委职责');
      const kept = await api('POST', `/suggestions/${inside}/return-request/decision`, {
        organ: '市公安局',
        decision: 'keep',
        note: '涉及交通秩序，仍由公安局承办',
      });
      expect(kept.status).toBe(200);
      expect(await texts('GonganMa')).toContain('退回申请未获同意（涉及交通秩序，仍由公安局承办）');

      const outside = await newItem('夜市噪音扰民', '市公安局');
      clock.set('2026-12-01T02:00:00Z'); // the 6th working day
      const late = await own('POST', `/suggestions/${outside}/return-request`, {
        reason: '不属于本单位职责',
      });
      expect(late.status).toBe(409);
      expect(late.json.error.message).toContain('5 个工作日内（2026-11-30（星期一）前）');
      expect((await assignment(outside, '市公安局')).return_requested_at).toBeNull();
      clock.set('2026-11-23T02:00:00Z');
    });

    it('sends each organ one digest a week of its items due within 14 days or overdue', async () => {
      clock.set('2027-02-15T00:00:00Z'); // Monday 08:00 in Shanghai
      expect(await sendOrganDigests(deps)).toContain('市住建局');
      clock.set('2027-02-16T00:00:00Z'); // the next day of the same week: nothing more
      await sendOrganDigests(deps);
      const digests = (await to('ZhujianZhou')).filter((p) => p.text?.startsWith('【本周到期提醒】'));
      expect(digests).toHaveLength(1);
      expect(digests[0]!.text).toContain('新建北路井盖缺失');
      expect(digests[0]!.text).toContain('还有 8 天');
      expect(digests[0]!.text).toMatch(new RegExp(`${codes.lamp}「府西街路灯不亮[^\n]*已超期`));
      const sendAt = await deps.db
        .selectFrom('outbox')
        .select('not_before')
        .where('idempotency_key', 'like', 'organ-digest:%')
        .executeTakeFirstOrThrow();
      expect(new Date(sendAt.not_before).toISOString()).toBe('2027-02-15T01:00:00.000Z'); // 09:00
      clock.set('2026-11-23T02:00:00Z');
    });

    it('lets the office review an answer and decide a return request in the console', async () => {
      clock.set('2026-11-23T02:00:00Z');
      const consolePost = async (path: string, form: Record<string, string>) => {
        const res = await fetch(`${server.url}/console${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams(form).toString(),
        });
        return { status: res.status, location: res.headers.get('location'), text: await res.text() };
      };
      const consoleGet = async (path: string) =>
        (
          await fetch(`${server.url}/console${path}`, {
            headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
          })
        ).text();
      const own = createApi(
        () => server.url,
        () => tokens.市住建局!,
      );
      const code = await newItem('迎宾街人行道<b>破损</b>', '市住建局');
      const a = await own('POST', `/suggestions/${code}/answers`, {
        done: '已修复人行道 200 米',
        signedBy: '张局长',
        resultClass: 'B',
      });
      expect(a.status).toBe(202);
      const page = await consoleGet('/reviews');
      expect(page).toContain(`/console/reviews/${code}/${a.json.answerId}`);
      expect(page).toContain('迎宾街人行道&lt;b&gt;破损&lt;/b&gt;');
      const refused = await consolePost(`/reviews/${code}/${a.json.answerId}`, {
        decision: 'return',
        note: '',
      });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('退回修改请写明意见');
      const ok = await consolePost(`/reviews/${code}/${a.json.answerId}`, { decision: 'approve', note: '' });
      expect(ok.status).toBe(303);
      expect(ok.location).toBe('/console/reviews?done=approved');
      expect(await texts('WangWu')).toContain('已修复人行道 200 米');

      const gongan = createApi(
        () => server.url,
        () => tokens.市公安局!,
      );
      const moved = await newItem('广场舞噪音扰民', '市公安局');
      expect(
        (await gongan('POST', `/suggestions/${moved}/return-request`, { reason: '噪音属于环保局职责' }))
          .status,
      ).toBe(200);
      expect(await consoleGet('/reviews')).toContain('噪音属于环保局职责');
      const t = await consolePost(`/return-requests/${moved}`, {
        organ: '市公安局',
        decision: 'transfer',
        to: '市交通局',
      });
      expect(t.status).toBe(303);
      expect((await assignment(moved, '市公安局')).status).toBe('transferred');
      expect((await assignment(moved, '市交通局')).status).toBe('open');
      expect(await texts('JiaotongLiu')).toContain('广场舞噪音扰民');
    });

    it('lets an organ’s contact sign and answer in the console, held for review', async () => {
      clock.set('2026-11-23T02:00:00Z');
      const code = await newItem('南关街下水道堵塞', '市交通局');
      const form = async (path: string, body: Record<string, string>) => {
        const res = await fetch(`${server.url}/console${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            authorization: `Bearer ${tokens.市交通局}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams(body).toString(),
        });
        return { status: res.status, location: res.headers.get('location'), text: await res.text() };
      };
      const page = await (
        await fetch(`${server.url}/console/organ/items/${code}/handle`, {
          headers: { authorization: `Bearer ${tokens.市交通局}` },
        })
      ).text();
      expect(page).toContain('南关街下水道堵塞');
      expect(page).toContain('<option value="A">A 已解决或采纳</option>');
      expect((await form(`/organ/items/${code}/sign`, {})).status).toBe(303);
      expect((await assignment(code, '市交通局')).signed_at).not.toBeNull();
      const noClass = await form(`/organ/items/${code}/answer`, { done: '已疏通', signedBy: '刘局长' });
      expect(noClass.status).toBe(400);
      expect(noClass.text).toContain('请选择办理结果分类');
      expect(page).toContain('enctype="multipart/form-data"');
      expect(page).toContain('type="file"');
      // The answer with a photo of the work done, as the browser sends the form with a file.
      const body = new FormData();
      for (const [k, v] of Object.entries({ done: '已疏通', signedBy: '刘局长', resultClass: 'A' }))
        body.append(k, v);
      const shot = Buffer.from('PNG-BYTES-OF-A-CLEARED-DRAIN');
      body.append('attachment1', new Blob([shot], { type: 'image/png' }), '疏通后.png');
      const res = await fetch(`${server.url}/console/organ/items/${code}/answer`, {
        method: 'POST',
        redirect: 'manual',
        headers: { authorization: `Bearer ${tokens.市交通局}` },
        body,
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/console/organ/items/${code}/handle?done=answered`);
      const view = await api('GET', `/suggestions/${code}`);
      expect(view.json.answers).toEqual([
        expect.objectContaining({
          organ: '市交通局',
          status: 'pending_review',
          files: [{ index: 1, name: '疏通后.png', size: shot.length, contentType: 'image/png' }],
        }),
      ]);
      const file = await fetch(`${server.url}/console/reviews/${code}/${view.json.answers[0].id}/files/1`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect(Buffer.from(await file.arrayBuffer()).equals(shot)).toBe(true);
      // Another organ's contact: not found.
      const other = await fetch(`${server.url}/console/organ/items/${code}/handle`, {
        headers: { authorization: `Bearer ${tokens.市公安局}` },
      });
      expect(other.status).toBe(404);
    });

    it('keeps an answer’s attachments, links them for review and hands back the same bytes', async () => {
      clock.set('2026-11-23T02:00:00Z');
      const own = createApi(
        () => server.url,
        () => tokens.市住建局!,
      );
      const staffGet = (path: string) =>
        fetch(`${server.url}/console${path}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      const code = await newItem('北街路面坑洼', '市住建局');
      const letter = Buffer.from('%PDF-1.4 答复函 北街路面已修补 %%EOF');
      const answer = {
        done: '已修补北街路面 300 平方米',
        signedBy: '张局长',
        resultClass: 'A',
      };
      // Bad input is refused clearly and keeps nothing.
      const badBase64 = await own('POST', `/suggestions/${code}/answers`, {
        ...answer,
        attachments: [{ name: '答复函.pdf', contentType: 'application/pdf', contentBase64: '这不是base64' }],
      });
      expect(badBase64.status).toBe(400);
      const badName = await own('POST', `/suggestions/${code}/answers`, {
        ...answer,
        attachments: [{ name: '../答复函.pdf', contentType: 'application/pdf', contentBase64: 'QUJD' }],
      });
      expect(badName.status).toBe(400);
      expect(badName.json.error.message).toContain('不含斜杠');
      const big = await own('POST', `/suggestions/${code}/answers`, {
        ...answer,
        attachments: [
          {
            name: '现场照片.jpg',
            contentType: 'image/jpeg',
            contentBase64: Buffer.alloc(11 * 1024 * 1024, 1).toString('base64'),
          },
        ],
      });
      expect(big.status).toBe(413);
      expect(big.json.error.message).toContain('每个附件不超过 10 MB');
      expect((await api('GET', `/suggestions/${code}`)).json.answers).toEqual([]);

      const a = await own('POST', `/suggestions/${code}/answers`, {
        ...answer,
        attachments: [
          { name: '答复函.pdf', contentType: 'application/pdf', contentBase64: letter.toString('base64') },
        ],
      });
      expect(a.status).toBe(202);
      const href = `/console/reviews/${code}/${a.json.answerId}/files/1`;
      const page = await (await staffGet('/reviews')).text();
      expect(page).toContain(`href="${href}"`);
      expect(page).toContain('答复函.pdf');
      expect(
        (await api('POST', `/suggestions/${code}/answers/${a.json.answerId}/review`, { decision: 'approve' }))
          .status,
      ).toBe(200);
      const toDeputy = (await to('WangWu')).find((p) => p.text?.includes('已修补北街路面'))!;
      expect(toDeputy.text).toContain('附件：1 个，可在工作平台查看');
      const file = await staffGet(href.replace('/console', ''));
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('答复函.pdf'));
      expect(Buffer.from(await file.arrayBuffer()).equals(letter)).toBe(true);
      const viaApi = await fetch(`${server.url}/api/suggestions/${code}/answers/${a.json.answerId}/files/1`, {
        headers: { authorization: `Bearer ${tokens.市住建局}` },
      });
      expect(Buffer.from(await viaApi.arrayBuffer()).equals(letter)).toBe(true);
      // Another organ's contact cannot fetch it.
      const other = await fetch(`${server.url}/api/suggestions/${code}/answers/${a.json.answerId}/files/1`, {
        headers: { authorization: `Bearer ${tokens.市公安局}` },
      });
      expect(other.status).toBe(404);
      expect((await staffGet(`/suggestions/${code}`)).ok).toBe(true);
      expect(await (await staffGet(`/suggestions/${code}`)).text()).toContain(`href="${href}"`);
    });
  });
}
