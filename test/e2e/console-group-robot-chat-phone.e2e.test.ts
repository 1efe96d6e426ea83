import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { lookAt } from '../helpers/page-layout.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';

// 小组 on a 390 px phone in Debian's Chromium: the group chat WeCom's intelligent robot (智能机器人) is in is
// bound from the group's form, which says in plain words where its number comes from and what it looks like,
// and that this service has no robot yet; a value the API would refuse is refused in its own box with
// nothing saved, a robot's address pasted there is sent to its own field, and a saved number is shown as
// set, never shown, and can be removed. Screenshots under SHOTS_DIR, else test/artifacts/group-robot-chat/.

const shots = new Artifacts(process.env.SHOTS_DIR ?? 'test/artifacts/group-robot-chat');
const WIDTH = 390;
const DATONG = '大同市第十六届人民代表大会';
const GROUP = '平城区第一代表小组';
const CHAT = 'wrOgQhDgAAcU3m2Lq0v9';
const WECOM_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7f2c-4bc4-97a0-0ec2b1fa5aaa';

describe.skipIf(!hasChromium)('a group’s intelligent-robot chat on a phone', () => {
  let page: Page;
  let groupId = 0;
  const app = useBrowserApp({
    clock: new FixedClock('2026-11-23T02:00:00Z'), // Monday 10:00 in Shanghai
    seed: async (deps) => {
      const datong = await seedCongress(deps.db, DATONG, 'city');
      groupId = await seedGroup(deps.db, { congressId: datong, name: GROUP });
      await seedPerson(deps.db, {
        name: '王平城',
        wecom: 'WangPC',
        congressId: datong,
        smallGroupId: groupId,
      });
    },
  });
  const api = createApi(() => app.url);

  const submit = async (selector: string) => {
    await Promise.all([page.waitForEvent('load'), page.click(selector)]);
  };
  const auditCount = async () =>
    (await app.db.selectFrom('audit_log').select('id').where('action', '=', 'group.update').execute()).length;

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: WIDTH, height: 844 }, javaScriptEnabled: false });
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  }, 120_000);

  describe('the group chat WeCom’s intelligent robot is in', () => {
    const bindings = () =>
      app.db
        .selectFrom('group_bindings')
        .select(['channel', 'kind', 'address'])
        .where('group_id', '=', groupId)
        .orderBy('kind')
        .execute();
    const field = '#g-wecomBotChatId';
    const open = async () => {
      await page.goto(`${app.url}/console/groups/${groupId}`);
      await page.click('details.wb-more summary');
    };
    const save = async (value: string) => {
      await open();
      await page.fill(field, value);
      await submit('form.box button[type=submit]');
    };

    it('is a field of the form, saying where its number comes from and what it looks like', async () => {
      await open();
      expect(await page.isVisible(field)).toBe(true);
      const box = page.locator(`fieldset:has(${field})`);
      expect(await box.locator('legend').textContent()).toBe('企业微信智能机器人所在群的编号 未设置');
      const words = (await box.textContent()) ?? '';
      expect(words).toContain('在群里 @它 说一句话，管理员就能在服务日志里查到这个群的编号并提供给您');
      expect(words).toContain('形如 wrOgQhDgAA…，不是网址');
      // This service runs without the robot: staff are told a number would reach nobody yet.
      expect(words).toContain(
        '注意：本系统目前还没有接入企业微信智能机器人，填了编号也发不到这个群里，需要管理员先接入',
      );
      const text = await lookAt(page, shots, '01-group-robot-field', WIDTH);
      for (const jargon of ['chatid', 'wecom_bot', 'wecomBotChatId'])
        expect(text, jargon).not.toContain(jargon);
      const input = (await page.locator(field).boundingBox())!;
      expect(input.height).toBeGreaterThanOrEqual(40);
    });

    it('refuses what the API refuses, in its own box, saving nothing', async () => {
      const audits = await auditCount();
      await save('wrOgQhDg 群聊');
      const error = (await page.textContent(`fieldset:has(${field}) .error`)) ?? '';
      expect(error).toContain('「企业微信智能机器人所在群的编号」里有空格、汉字或其他不该有的字符');
      expect(error).toContain('本次没有保存任何修改');
      expect(await page.getAttribute(field, 'aria-invalid')).toBe('true');
      expect(await page.inputValue(field)).toBe('wrOgQhDg 群聊');
      // The folded part stays open, and the page opens at the field at fault, far down the form.
      expect(await page.locator('details.wb-more').getAttribute('open')).not.toBeNull();
      const at = (await page.locator(field).boundingBox())!;
      expect(at.y).toBeGreaterThanOrEqual(0);
      expect(at.y + at.height).toBeLessThanOrEqual(844);
      await lookAt(page, shots, '02-group-robot-refused', WIDTH);
      expect(await bindings()).toEqual([]);
      expect(await auditCount()).toBe(audits);
    });

    it('sends a group robot’s address to its own field, saving nothing', async () => {
      await save(WECOM_URL);
      const error = (await page.textContent(`fieldset:has(${field}) .error`)) ?? '';
      expect(error).toContain(
        '这是企业微信群机器人的地址，请填到「企业微信群机器人地址」一栏；「企业微信智能机器人所在群的编号」填的是群的编号，不是网址',
      );
      await save('https://work.weixin.qq.com/');
      expect(await page.textContent(`fieldset:has(${field}) .error`)).toContain('填的是群的编号，不是网址');
      expect(await bindings()).toEqual([]);
    });

    it('saves a number, shows it is set without showing it, and removes it on 解除', async () => {
      const audits = await auditCount();
      await save(CHAT);
      expect(await page.textContent('main')).toContain('小组设置已保存');
      expect(await bindings()).toEqual([{ channel: 'wecom', kind: 'wecom_bot', address: CHAT }]);
      expect(await auditCount()).toBe(audits + 1);
      // Bound, but this service has no robot: the facts do not claim the group is reached.
      expect(await page.textContent('dl.facts')).toContain(
        '企业微信智能机器人所在的群（本系统尚未接入，发不到）',
      );
      // Bound, the folded part opens by itself, the field marked set and empty.
      expect(await page.locator('details.wb-more').getAttribute('open')).not.toBeNull();
      expect(await page.textContent(`fieldset:has(${field}) legend`)).toBe(
        '企业微信智能机器人所在群的编号 已设置',
      );
      expect(await page.inputValue(field)).toBe('');
      expect(await page.content()).not.toContain(CHAT);
      await lookAt(page, shots, '03-group-robot-saved', WIDTH);
      const listed = await api('GET', '/groups');
      expect(listed.json.find((g: { id: number }) => g.id === groupId).bindings.wecomBot).toBe(true);
      // The list of groups says the same.
      await page.goto(`${app.url}/console/groups`);
      const list = await lookAt(page, shots, '04-groups-list', WIDTH);
      expect(list).toContain('企业微信智能机器人所在的群（本系统尚未接入，发不到）');
      // Marked as a group nothing reaches, as one with no chat bound is.
      expect(await page.locator('.wb-item p.wb-bad').textContent()).toBe(
        '企业微信智能机器人所在的群（本系统尚未接入，发不到）',
      );

      // Bound, the folded part is open when the page opens.
      await page.goto(`${app.url}/console/groups/${groupId}`);
      await page.check(`fieldset:has(${field}) input[name=clear]`);
      await submit('form.box button[type=submit]');
      expect(await bindings()).toEqual([]);
      expect(await page.textContent('dl.facts')).toContain('未绑定群聊');
    });
  });
});
