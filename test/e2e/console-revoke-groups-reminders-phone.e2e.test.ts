import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertDeadline } from '../../db/repositories/deadlines.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { signIn } from '../helpers/console-page.ts';
import { lookAt } from '../helpers/page-layout.ts';
import { seedCongress, seedGroup, seedOrgan, seedPerson, seedSession } from '../helpers/seed.ts';
import { issueToken } from '../helpers/seed-api.ts';

// Three console pages as staff use them on a 390 px phone in Debian's Chromium. 令牌: 撤销 first says whose
// access ends (an organ's token: the organ), and revokes only on 确认撤销; 返回 and a form without the
// confirmation change nothing. 小组: each chat field says in plain words what it is and where to copy it,
// a robot's whole address is taken (its key kept), a wrong one refused with nothing saved; the leader is
// chosen from the congress's deputies, stored by id, and someone of another congress sent by a crafted
// form is refused with nothing changed. 提醒记录: a deadline's and a session's reminders say when in words,
// and the rule filter offers the rules by what they require. Screenshots under SHOTS_DIR, else
// test/artifacts/revoke-groups-reminders/.

const shots = new Artifacts(process.env.SHOTS_DIR ?? 'test/artifacts/revoke-groups-reminders');
const WIDTH = 390;
const DATONG = '大同市第十六届人民代表大会';
const SHANXI = '山西省第十四届人民代表大会';
const GROUP = '平城区第一代表小组';
const OTHER_GROUP = '云冈区第二代表小组';
const ORGAN = '市住房和城乡建设局';
const SESSION = '大同市第十六届人民代表大会第五次会议';
const WECOM_KEY = '693a91f6-7f2c-4bc4-97a0-0ec2b1fa5aaa';
const WECOM_URL = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}`;
const DINGTALK_URL = 'https://oapi.dingtalk.com/robot/send?access_token=5a6b7c8d9e0f';

describe.skipIf(!hasChromium)(
  'revoking a token, a group’s chats and leader, and reminders on a phone',
  () => {
    let page: Page;
    let groupId = 0;
    const people: Record<string, number> = {};
    const app = useBrowserApp({
      clock: new FixedClock('2026-11-23T02:00:00Z'), // Monday 10:00 in Shanghai
      seed: async (deps) => {
        const datong = await seedCongress(deps.db, DATONG, 'city');
        const shanxi = await seedCongress(deps.db, SHANXI, 'province');
        groupId = await seedGroup(deps.db, { congressId: datong, name: GROUP });
        const other = await seedGroup(deps.db, { congressId: datong, name: OTHER_GROUP });
        const seat = async (name: string, p: Parameters<typeof seedPerson>[1]) => {
          people[name] = (await seedPerson(deps.db, p)).personId;
        };
        await seat('王平城', { name: '王平城', wecom: 'WangPC', congressId: datong, smallGroupId: groupId });
        await seat('赵云冈', { name: '赵云冈', wecom: 'ZhaoYG', congressId: datong, smallGroupId: groupId });
        await seat('欧阳慕容雪', {
          name: '欧阳慕容雪',
          wecom: 'OuYang',
          congressId: datong,
          smallGroupId: other,
        });
        await seat('钱无号', { name: '钱无号', mobile: '13900000009', congressId: datong });
        await seat('孙终止', {
          name: '孙终止',
          wecom: 'SunZZ',
          congressId: datong,
          smallGroupId: groupId,
          status: 'terminated',
        });
        await seat('李四', { name: '李四', wecom: 'LiSi', congressId: shanxi });
        await seedOrgan(deps.db, ORGAN, { name: '王科长', wecom: 'WangKZ' }, deps.clock.now());

        // What the reminder runs leave in the ledger for a suggestion's clock, a session and a reception day.
        const clock = await insertDeadline(deps.db, {
          kind: 'S8',
          subjectType: 'suggestion',
          subjectId: 'JY-2026-0012',
          congressId: datong,
          label: `建议 JY-2026-0012（${ORGAN}主办）的答复期限`,
          startsOn: '2026-09-01',
          months: 3,
          dueOn: '2026-12-01',
          provisional: false,
          personIds: [],
        });
        await seedSession(deps, {
          congress: DATONG,
          name: SESSION,
          startsOn: '2026-12-20',
          endsOn: '2026-12-22',
        });
        const session = await deps.db
          .selectFrom('sessions')
          .select('id')
          .where('name', '=', SESSION)
          .executeTakeFirstOrThrow();
        await deps.db
          .insertInto('reminder_ledger')
          .values([
            {
              rule: 'S8',
              period: `deadline:${clock.id}:14`,
              target: 'organ:1',
              job: 'feedback-clock',
              due_on: '2026-11-11',
            },
            {
              rule: 'S8',
              period: `deadline:${clock.id}:overdue`,
              target: `person:${people.王平城}`,
              job: 'feedback-clock',
              due_on: '2026-12-02',
            },
            {
              rule: 'S5',
              period: `session:${session.id}`,
              target: `person:${people.赵云冈}`,
              job: 'session-leave',
              due_on: '2026-12-11',
            },
            {
              rule: 'S2',
              period: '2026-12:2026-12-07:agenda',
              target: `person:${people.王平城}`,
              job: null,
            },
            { rule: 'S2', period: '2026-12:2026-12-07:reminder', target: 'booking:JD-2026-0003', job: null },
          ])
          .execute();
      },
    });
    const api = createApi(() => app.url);

    const submit = async (selector: string) => {
      await Promise.all([page.waitForEvent('load'), page.click(selector)]);
    };
    const main = async () => (await page.textContent('main')) ?? '';
    const auditCount = async (action: string) =>
      (await app.db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length;

    beforeAll(async () => {
      page = await app.browser.newPage({ viewport: { width: WIDTH, height: 844 }, javaScriptEnabled: false });
      await signIn(page, app.url, TEST_ADMIN_TOKEN);
    }, 120_000);

    describe('撤销 a token', () => {
      let organToken = '';
      let tokenId = 0;
      const revokedAt = async () =>
        (
          await app.db
            .selectFrom('api_tokens')
            .select('revoked_at')
            .where('id', '=', tokenId)
            .executeTakeFirstOrThrow()
        ).revoked_at;

      beforeAll(async () => {
        organToken = await issueToken(api, { name: '住建局 王科长', role: 'organ', organ: ORGAN });
        await issueToken(api, { name: '代表工委 马红梅', role: 'staff' });
        tokenId = (
          await app.db
            .selectFrom('api_tokens')
            .select('id')
            .where('name', '=', '住建局 王科长')
            .executeTakeFirstOrThrow()
        ).id;
      });

      it('asks first, saying whose access ends; 返回 changes nothing', async () => {
        await page.goto(`${app.url}/console/tokens`);
        expect(await main()).toContain(ORGAN);
        await submit(`form[action="/console/tokens/${tokenId}/revoke"] button`);
        expect(page.url()).toMatch(new RegExp(`/console/tokens/${tokenId}/revoke\\??$`));
        const text = await lookAt(page, shots, '01-token-revoke-confirm', WIDTH);
        expect(text).toContain(`撤销后，${ORGAN}用这个令牌将无法再登录控制台，也不能再调用接口`);
        expect(text).toContain('住建局 王科长');
        expect(text).toContain('撤销后不能恢复');
        // Both ways out are as tall as a thumb needs.
        const button = (await page.locator('form.confirm-step button[name=confirm]').boundingBox())!;
        const back = (await page.locator('form.confirm-step .confirm-actions a').boundingBox())!;
        expect(button.height).toBeGreaterThanOrEqual(40);
        expect(back.height).toBeGreaterThanOrEqual(40);
        // Opening the page revoked nothing.
        expect(await revokedAt()).toBeNull();
        await Promise.all([page.waitForEvent('load'), page.click('text=返回令牌列表，不撤销')]);
        expect(page.url()).toMatch(/\/console\/tokens$/);
        expect(await revokedAt()).toBeNull();
        expect(await auditCount('token.revoke')).toBe(0);
        expect((await api('GET', '/suggestions', undefined, organToken)).status).toBe(200);
      });

      it('a form without the confirmation shows the question again and revokes nothing', async () => {
        const b = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
        const csrf = await b.csrf('/console/tokens');
        const res = await b.post(`/console/tokens/${tokenId}/revoke`, { _csrf: csrf });
        expect(res.status).toBe(200);
        expect(res.text).toContain('确认撤销');
        expect(await revokedAt()).toBeNull();
        expect(await auditCount('token.revoke')).toBe(0);
      });

      it('revokes on 确认撤销: audited once, and the token no longer signs in', async () => {
        await page.goto(`${app.url}/console/tokens/${tokenId}/revoke`);
        await submit('form.confirm-step button[name=confirm]');
        expect(page.url()).toMatch(/\/console\/tokens\?done=revoked$/);
        const text = await lookAt(page, shots, '02-token-revoked', WIDTH);
        expect(text).toContain('令牌已撤销');
        expect(text).toContain('已撤销');
        expect(await revokedAt()).not.toBeNull();
        expect(await auditCount('token.revoke')).toBe(1);
        expect((await api('GET', '/suggestions', undefined, organToken)).status).toBe(401);
        // Its card offers no 撤销 any more; a stale confirmation changes nothing and writes no second row.
        expect(await page.locator(`form[action="/console/tokens/${tokenId}/revoke"]`).count()).toBe(0);
        const b = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
        const again = await b.post(`/console/tokens/${tokenId}/revoke`, {
          _csrf: await b.csrf('/console/tokens'),
          confirm: 'yes',
        });
        expect(again.headers.get('location')).toBe('/console/tokens?done=alreadyRevoked');
        expect(await auditCount('token.revoke')).toBe(1);
      });
    });

    describe('a group’s chats and leader', () => {
      const bindings = () =>
        app.db
          .selectFrom('group_bindings')
          .select(['kind', 'address', 'secret'])
          .where('group_id', '=', groupId)
          .orderBy('kind')
          .execute();
      const leader = async () =>
        (
          await app.db
            .selectFrom('groups')
            .select('leader_person_id')
            .where('id', '=', groupId)
            .executeTakeFirstOrThrow()
        ).leader_person_id;
      const open = () => page.goto(`${app.url}/console/groups/${groupId}`);

      it('names each chat field in plain words, with where to copy it and an example', async () => {
        await open();
        const text = await lookAt(page, shots, '03-group', WIDTH);
        expect(text).toContain('企业微信群机器人地址');
        expect(text).toContain('「群机器人」');
        expect(text).toContain('形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…');
        expect(text).toContain('钉钉自定义机器人地址');
        expect(text).toContain('形如 https://oapi.dingtalk.com/robot/send?access_token=…');
        expect(text).toContain('以 SEC 开头');
        for (const jargon of ['chatid', 'openConversationId', '只写不读', 'Webhook 地址或其中的'])
          expect(text, jargon).not.toContain(jargon);
        // The two ways only an administrator can give are folded away.
        expect(await page.locator('details.wb-more').getAttribute('open')).toBeNull();
        expect(await page.locator('#g-wecomChatId').isVisible()).toBe(false);
        await page.click('details.wb-more summary');
        expect(await page.locator('#g-wecomChatId').isVisible()).toBe(true);
        expect(await lookAt(page, shots, '03-group-other-ways', WIDTH)).toContain('由管理员建群时得到并提供');
      });

      it('refuses another robot’s address or pasted words, saving nothing', async () => {
        const auditsBefore = await auditCount('group.update');
        await open();
        await page.fill('#g-wecomWebhookKey', DINGTALK_URL);
        await submit('form.box button[type=submit]');
        const error = (await page.textContent('form.box .error')) ?? '';
        expect(error).toContain(
          '这是钉钉自定义机器人的地址，请填到「钉钉自定义机器人地址」一栏；「企业微信群机器人地址」只填企业微信群机器人的地址',
        );
        expect(error).toContain('本次没有保存任何修改');
        expect(await page.inputValue('#g-wecomWebhookKey')).toBe(DINGTALK_URL);
        // The message stands in the box of the field at fault, which the page opens at.
        expect(await page.getAttribute('#g-wecomWebhookKey', 'aria-invalid')).toBe('true');
        expect(await page.textContent('fieldset:has(#g-wecomWebhookKey) .error')).toBe(error);
        await lookAt(page, shots, '04-group-wrong-robot', WIDTH);

        await page.fill('#g-wecomWebhookKey', '请问管理员 机器人地址');
        await page.selectOption('#g-leader', String(people.赵云冈));
        await submit('form.box button[type=submit]');
        expect(await page.textContent('form.box .error')).toContain(
          '「企业微信群机器人地址」里有空格、汉字或其他不该有的字符',
        );
        // What was chosen stays chosen; nothing was saved, the leader included.
        expect(await page.inputValue('#g-leader')).toBe(String(people.赵云冈));
        expect(await bindings()).toEqual([]);
        expect(await leader()).toBeNull();
        expect(await auditCount('group.update')).toBe(auditsBefore);
      });

      it('takes the robot’s whole address and keeps only its key, never showing it', async () => {
        await open();
        await page.fill('#g-wecomWebhookKey', WECOM_URL);
        await submit('form.box button[type=submit]');
        expect(await main()).toContain('小组设置已保存');
        expect(await bindings()).toEqual([{ kind: 'wecom_robot', address: WECOM_KEY, secret: null }]);
        expect(await page.content()).not.toContain(WECOM_KEY);
        expect(await page.textContent('dl.facts')).toContain('企业微信群机器人');
        // A bare key does as well.
        await page.fill('#g-dingtalkWebhookToken', '5a6b7c8d9e0f');
        await submit('form.box button[type=submit]');
        expect(await bindings()).toEqual([
          { kind: 'dingtalk_robot', address: '5a6b7c8d9e0f', secret: null },
          { kind: 'wecom_robot', address: WECOM_KEY, secret: null },
        ]);
      });

      it('offers the leader from the congress’s deputies, the group’s own first, and stores the choice by id', async () => {
        await open();
        const options = await page.locator('#g-leader option').allTextContents();
        expect(options[0]).toBe('不设负责人');
        const members = await page.locator('#g-leader optgroup').first().locator('option').allTextContents();
        expect(members).toEqual(['王平城', '赵云冈']);
        expect(await page.locator('#g-leader optgroup').first().getAttribute('label')).toBe(
          '本组成员（2 人）',
        );
        expect(options).toContain(`欧阳慕容雪（${OTHER_GROUP}）`);
        expect(options).toContain('钱无号（无企业微信或钉钉账号，收不到提醒）');
        // Nobody whose seat ended, nobody of another congress.
        expect(options.join()).not.toContain('孙终止');
        expect(options.join()).not.toContain('李四');
        const select = (await page.locator('#g-leader').boundingBox())!;
        expect(select.height).toBeGreaterThanOrEqual(40);

        await page.selectOption('#g-leader', String(people.赵云冈));
        await submit('form.box button[type=submit]');
        expect(await leader()).toBe(people.赵云冈);
        expect(await page.textContent('dl.facts')).toContain('赵云冈');
        expect(await page.inputValue('#g-leader')).toBe(String(people.赵云冈));
        await lookAt(page, shots, '05-group-saved', WIDTH);
        const row = await app.db
          .selectFrom('audit_log')
          .select(['actor', 'before', 'after'])
          .where('action', '=', 'group.update')
          .where('subject_id', '=', String(groupId))
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        expect(row).toEqual({
          actor: 'admin:bootstrap',
          before: { leaderPersonId: null },
          after: { leaderPersonId: people.赵云冈 },
        });
      });

      it('refuses a leader of another congress or nobody sent by a crafted form, changing nothing', async () => {
        const b = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
        const path = `/console/groups/${groupId}`;
        const before = {
          leader: await leader(),
          bindings: await bindings(),
          audits: await auditCount('group.update'),
        };
        const cases: [leaderId: string, message: string][] = [
          [String(people.李四), '所选的负责人不是本人大的在任代表，负责人没有改动'],
          [String(people.孙终止), '所选的负责人不是本人大的在任代表，负责人没有改动'],
          ['99999', '所选的负责人不是本人大的在任代表，负责人没有改动'],
          ['张三', '请从列表中选择负责人'],
        ];
        for (const [leaderId, message] of cases) {
          const res = await b.post(path, {
            _csrf: await b.csrf(path),
            leaderId,
            leaderWas: String(people.赵云冈),
            // Sent with it, a new robot is not saved either.
            wecomChatId: 'wrOgQhDgAAnewchat',
          });
          expect(res.status, leaderId).toBe(400);
          expect(res.text, leaderId).toContain(message);
          expect(res.text, leaderId).not.toContain('李四');
        }
        expect({
          leader: await leader(),
          bindings: await bindings(),
          audits: await auditCount('group.update'),
        }).toEqual(before);
      });

      it('leaves a leader someone else chose meanwhile when this form did not touch the choice', async () => {
        const b = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
        const path = `/console/groups/${groupId}`;
        const csrf = await b.csrf(path);
        // Another member of staff makes 王平城 the leader while this page still shows 赵云冈.
        await app.db
          .updateTable('groups')
          .set({ leader_person_id: people.王平城 })
          .where('id', '=', groupId)
          .execute();
        const res = await b.post(path, {
          _csrf: csrf,
          leaderId: String(people.赵云冈),
          leaderWas: String(people.赵云冈),
          dingtalkSecret: 'SEC0123456789abcdef',
        });
        expect(res.status).toBe(303);
        expect(await leader()).toBe(people.王平城);
        expect((await bindings()).find((x) => x.kind === 'dingtalk_robot')?.secret).toBe(
          'SEC0123456789abcdef',
        );
      });
    });

    describe('提醒记录', () => {
      it('says when a deadline’s, a session’s and a reception day’s reminders were for, in words', async () => {
        await page.goto(`${app.url}/console/reminders`);
        const text = await lookAt(page, shots, '06-reminders', WIDTH);
        expect(text).toContain(`建议 JY-2026-0012（${ORGAN}主办）的答复期限，到期前14个工作日`);
        expect(text).toContain(`建议 JY-2026-0012（${ORGAN}主办）的答复期限，已逾期`);
        expect(text).toContain(`${SESSION} 开幕前5个工作日`);
        expect(text).toContain('接待日 2026-12-07（星期一）：预约话题送接待人');
        expect(text).toContain('接待日 2026-12-07（星期一）：前一个工作日提醒预约的代表');
        expect(text).toContain('预约 JD-2026-0003 的代表');
        for (const key of ['deadline:', 'session:', ':agenda', ':reminder', 'booking:', 'overdue'])
          expect(text, key).not.toContain(key);
      });

      it('offers the rules to filter by what they require, and filters by the stored rule', async () => {
        await page.goto(`${app.url}/console/reminders`);
        const options = await page.locator('#reminder-rule option').allTextContents();
        expect(options[0]).toBe('全部规则');
        expect(options).toContain(
          'S5 会前请假由主任会议（乡镇：主席团）决定，会议期间由秘书处（乡镇：主席团）批准',
        );
        expect(options).toContain('国务院公布下一年放假安排后，提醒载入工作日历');
        expect(options.join()).not.toContain('calendar');
        await page.selectOption('#reminder-rule', 'S5');
        await submit('form.filters button');
        expect(page.url()).toMatch(/\/console\/reminders\?rule=S5$/);
        const text = await lookAt(page, shots, '07-reminders-S5', WIDTH);
        expect(text).toContain('共 1 条');
        expect(text).toContain(`${SESSION} 开幕前5个工作日`);
        expect(await page.inputValue('#reminder-rule')).toBe('S5');
      });
    });
  },
);
