import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { signIn } from '../helpers/console-page.ts';
import { lookAt } from '../helpers/page-layout.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { assignSuggestion, fileSuggestion, issueToken } from '../helpers/seed-api.ts';

// 承办单位 in the console: an organ's further contacts (a second 科长, the organ's leader) are added and
// removed on the organ's page, as POST /api/organs/{name}/contacts adds them. A contact added is written to
// when an item is handed to the organ; one removed is no longer. A wrong phone number or a missing name is
// answered with the form as it was typed and writes nothing; a congress-bound token may not change the shared
// register; names are shown escaped. Then the page on a 390 px phone; screenshots under
// test/artifacts/organ-contacts/.

const shots = new Artifacts('test/artifacts/organ-contacts');
const ORGAN = '市住房和城乡建设局';

describe('an organ’s further contacts in the console', () => {
  let organId = 0;
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const app = useBrowserApp({
    clock,
    browser: hasChromium,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      await seedCongress(deps.db, '阳高县第十八届人民代表大会', 'county');
      await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId });
      const { organ } = await upsertOrgan(
        deps.db,
        ORGAN,
        { contactName: '周科长', contactMobile: null, contactWecom: 'ZhouKZ', contactDingtalk: null },
        clock.now(),
      );
      organId = organ.id;
    },
  });
  const api = createApi(() => app.url);
  const page = () => `/console/organs/${organId}`;

  const contacts = () =>
    app.db
      .selectFrom('organ_contacts')
      .select(['name', 'mobile', 'wecom_userid', 'dingtalk_userid', 'leader'])
      .where('organ_id', '=', organId)
      .orderBy('id')
      .execute();
  const audits = (action: string) =>
    app.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  /** Whom the hand-over of `code` to the organ was sent to in chat. */
  const toldOf = async (code: string) =>
    (
      await app.db
        .selectFrom('outbox')
        .select('target_address')
        .where(sql`payload::text`, 'like', `%${code}%`)
        .where('target_address', '!=', 'WangWu')
        .orderBy('target_address')
        .execute()
    ).map((r) => r.target_address);
  const handOver = async (content: string) => {
    const code = await fileSuggestion(api, { deputy: 'WangWu', content });
    await assignSuggestion(api, code, ORGAN);
    return code;
  };

  it('adds a second contact and the leader, who are told of the next item handed over', async () => {
    const b = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
    const before = await b.get(page());
    expect(before.text).toContain('其他联系人（0）');
    expect(before.text).toContain('还没有其他联系人。');

    const added = await b.post(`${page()}/contacts`, {
      _csrf: await b.csrf(page()),
      name: '李科长',
      mobile: '0352-7654321',
      wecomUserid: 'LiKZ',
      dingtalkUserid: '',
    });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`${page()}?done=contact`);
    await b.post(`${page()}/contacts`, {
      _csrf: await b.csrf(page()),
      name: '赵局长',
      mobile: '',
      wecomUserid: 'ZhaoJZ',
      dingtalkUserid: 'zhao-dt',
      leader: 'yes',
    });
    expect(await contacts()).toEqual([
      { name: '李科长', mobile: '0352-7654321', wecom_userid: 'LiKZ', dingtalk_userid: null, leader: false },
      { name: '赵局长', mobile: null, wecom_userid: 'ZhaoJZ', dingtalk_userid: 'zhao-dt', leader: true },
    ]);
    // Audited with who was added, never the phone number.
    expect(await audits('organ.contact.add')).toEqual([
      { before: null, after: { name: '李科长', leader: false, wecomUserid: 'LiKZ', dingtalkUserid: null } },
      {
        before: null,
        after: { name: '赵局长', leader: true, wecomUserid: 'ZhaoJZ', dingtalkUserid: 'zhao-dt' },
      },
    ]);

    const shown = await b.get(`${page()}?done=contact`);
    expect(shown.text).toContain('联系人已添加。');
    expect(shown.text).toContain('其他联系人（2）');
    expect(shown.text).toContain('赵局长 <span class="tag">单位领导</span>');
    expect(shown.text).toContain('企业微信 ZhaoJZ · 钉钉 zhao-dt');
    expect(shown.text).toContain('0352-7654321');
    // The register says how many more each organ has.
    expect((await b.get('/console/organs')).text).toContain('另有 2 位联系人');

    // The organ's own contact and the two added hear of the item (the leader's DingTalk id too).
    expect(await toldOf(await handOver('府西街的路灯坏了'))).toEqual(['LiKZ', 'ZhaoJZ', 'ZhouKZ', 'zhao-dt']);
  });

  it('answers a wrong phone number or a missing name with the form as typed, and writes nothing', async () => {
    const b = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
    const [rows, audited] = [await contacts(), await rowCount(app.db, 'audit_log')];
    const badPhone = await b.post(`${page()}/contacts`, {
      _csrf: await b.csrf(page()),
      name: '孙干事',
      mobile: '打我手机',
      wecomUserid: 'SunGS',
    });
    expect(badPhone.status).toBe(400);
    expect(badPhone.text).toContain('联系电话只能含数字、空格、加号和短横线，例如 0352-1234567。');
    expect(badPhone.text).toContain('value="孙干事"');
    expect(badPhone.text).toContain('value="SunGS"');
    const noName = await b.post(`${page()}/contacts`, {
      _csrf: await b.csrf(page()),
      name: '  ',
      mobile: '13800000000',
    });
    expect(noName.status).toBe(400);
    expect(noName.text).toContain('value="13800000000"');
    expect(noName.text).toContain('请填写「姓名」');
    expect(await contacts()).toEqual(rows);
    expect(await rowCount(app.db, 'audit_log')).toBe(audited);
  });

  it('shows a name as typed, escaped', async () => {
    const b = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
    await b.post(`${page()}/contacts`, { _csrf: await b.csrf(page()), name: '<b>钱</b>干事' });
    const shown = await b.get(page());
    expect(shown.text).toContain('&lt;b&gt;钱&lt;/b&gt;干事');
    expect(shown.text).not.toContain('<b>钱</b>');
    // With no chat account, the page says they are phoned.
    expect(shown.text).toMatch(/&lt;b&gt;钱&lt;\/b&gt;干事<\/h3>\s*<p class="muted">无聊天账号：电话联系/);
  });

  it('removes a contact, who is told of nothing handed over afterwards', async () => {
    const b = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
    const [li] = await app.db
      .selectFrom('organ_contacts')
      .select('id')
      .where('name', '=', '李科长')
      .execute();
    const removed = await b.post(`${page()}/contacts/${li!.id}/remove`, { _csrf: await b.csrf(page()) });
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`${page()}?done=contactRemoved`);
    expect((await contacts()).map((c) => c.name)).toEqual(['赵局长', '<b>钱</b>干事']);
    expect(await audits('organ.contact.remove')).toEqual([
      { before: { name: '李科长', leader: false, wecomUserid: 'LiKZ', dingtalkUserid: null }, after: null },
    ]);
    expect((await b.get(`${page()}?done=contactRemoved`)).text).toContain(
      '联系人已移除，不再收到这个单位的消息。',
    );
    expect(await toldOf(await handOver('菜市场污水横流'))).toEqual(['ZhaoJZ', 'ZhouKZ', 'zhao-dt']);

    // Removed again (a second tap, an old page): said so, nothing written.
    const again = await b.post(`${page()}/contacts/${li!.id}/remove`, { _csrf: await b.csrf(page()) });
    expect(again.status).toBe(400);
    expect(again.text).toContain('这个单位没有这位联系人，可能已经移除。');
    expect(await audits('organ.contact.remove')).toHaveLength(1);
    // A contact named by no number (a link typed by hand): said the same way, nothing removed.
    const typed = await b.post(`${page()}/contacts/abc/remove`, { _csrf: await b.csrf(page()) });
    expect(typed.status).toBe(400);
    expect(typed.text).toContain('这个单位没有这位联系人，可能已经移除。');
    expect((await contacts()).map((c) => c.name)).toEqual(['赵局长', '<b>钱</b>干事']);
    expect(await audits('organ.contact.remove')).toHaveLength(1);
  });

  it('refuses a congress-bound token both changes, and writes nothing', async () => {
    const token = await issueToken(api, {
      name: '阳高秘书',
      role: 'staff',
      congress: '阳高县第十八届人民代表大会',
    });
    const b = await ConsoleBrowser.signedIn(app.url, token);
    const admin = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
    const csrf = await b.csrf('/console/organs');
    const rows = await contacts();
    const [zhao] = await app.db
      .selectFrom('organ_contacts')
      .select('id')
      .where('name', '=', '赵局长')
      .execute();
    const add = await b.post(`${page()}/contacts`, { _csrf: csrf, name: '冒名者', wecomUserid: 'Fake' });
    const remove = await b.post(`${page()}/contacts/${zhao!.id}/remove`, { _csrf: csrf });
    for (const r of [add, remove]) {
      expect(r.status).toBe(403);
      expect(r.text).toContain('不能修改各人大共用的数据（承办单位、工作日历）');
    }
    expect(await contacts()).toEqual(rows);
    // The admin's page still lists them all.
    expect((await admin.get(page())).text).toContain('其他联系人（2）');
  });

  it.skipIf(!hasChromium)('reads and works on a 390 px phone', async () => {
    const p = await app.browser.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    await signIn(p, app.url, TEST_ADMIN_TOKEN);
    await p.goto(`${app.url}${page()}`);
    const text = await lookAt(p, shots, 'organ-contacts', 390);
    expect(text).toContain('其他联系人（2）');
    expect(text).toContain('这是单位领导');
    // Added from the phone with the keyboard's form, as a staff member would.
    await p.fill('#contact-name', '吴干事');
    await p.fill('#contact-mobile', '13900000009');
    await Promise.all([p.waitForEvent('load'), p.click('text=添加联系人 >> nth=-1')]);
    const after = await lookAt(p, shots, 'organ-contacts-added', 390);
    expect(after).toContain('联系人已添加。');
    expect(after).toContain('其他联系人（3）');
    expect((await contacts()).map((c) => c.name)).toContain('吴干事');
    await p.close();
  });
});
