import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends, type TestDeps } from '../helpers/backends.ts';
import type { FakeDingtalkApi } from '../helpers/fake-dingtalk-api.ts';
import type { FakeWecom } from '../helpers/fake-wecom.ts';
import { seedCongress, seedOrgan, seedPerson } from '../helpers/seed.ts';
import { assignSuggestion, fileSuggestion } from '../helpers/seed-api.ts';
import type { RunningServer } from '../helpers/server.ts';
import { serveWithSignInPlatforms } from '../helpers/sign-in-platforms.ts';

// An organ's contact (not on the roster) signs in to the console through WeCom: they land on 本单位事项,
// see only their organ's items, are refused staff pages and another organ's item, and the session ends
// once they are no longer the organ's contact. Another organ's contact signs in through DingTalk alike.

const WXWORK_UA = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile wxwork/4.1.20 MicroMessenger/7.0.1';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(
    `an organ's contact signing in through WeCom on ${backend.name}`,
    () => {
      const clock = new FixedClock('2026-11-23T02:00:00Z');
      let wecom: FakeWecom;
      let ding: FakeDingtalkApi;
      let deps: TestDeps;
      let server: RunningServer;
      const api = createApi(() => server.url);
      const codes: string[] = [];

      beforeAll(async () => {
        ({ wecom, ding, deps, server } = await serveWithSignInPlatforms(backend.name, clock));
        const congressId = await seedCongress(deps.db);
        await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId });
        for (const [organ, userid, dingtalk] of [
          ['市住建局', 'ZhujianZhou', null],
          ['市公安局', 'GonganMa', 'gonganma01'],
        ] as const) {
          await seedOrgan(deps.db, organ, { name: `${organ}周科长`, wecom: userid, dingtalk }, clock.now());
          const code = await fileSuggestion(api, { deputy: 'WangWu', content: `${organ}办理的事项` });
          codes.push(code);
          await assignSuggestion(api, code, organ);
        }
      }, 180_000);
      afterAll(async () => {
        await server?.close();
        await deps?.cleanup();
        await wecom?.close();
        await ding?.close();
      });

      const get = (path: string, cookie?: string) =>
        fetch(`${server.url}${path}`, {
          redirect: 'manual',
          headers: { ...(cookie ? { cookie } : {}), 'user-agent': WXWORK_UA },
        });
      const cookieOf = (res: Response, name: string): string | null => {
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          if (pair!.startsWith(`${name}=`) && pair!.length > name.length + 1) return pair!;
        }
        return null;
      };

      it('lands on the organ’s own items, refused staff pages and another organ’s item', async () => {
        const start = await get('/console/login/wecom');
        const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
        const res = await get(
          `/console/login/wecom/callback?code=${wecom.issueLoginCode('ZhujianZhou')}&state=${state}`,
          cookieOf(start, 'console_login')!,
        );
        expect(res.status).toBe(200);
        const session = cookieOf(res, 'console_sid')!;
        const home = await get('/console', session);
        expect(home.status).toBe(303);
        expect(home.headers.get('location')).toBe('/console/organ');
        const page = await (await get('/console/organ', session)).text();
        expect(page).toContain(codes[0]);
        expect(page).not.toContain(codes[1]);
        expect((await get(`/console/organ/items/${codes[1]}`, session)).status).toBe(404);
        expect((await get('/console/deputies', session)).status).toBe(403);
        expect((await get(`/console/suggestions/${codes[0]}`, session)).status).toBe(403);

        // No longer the organ's contact: the session ends at the next request.
        await deps.db
          .updateTable('organs')
          .set({ contact_wecom: 'SomeoneElse' })
          .where('name', '=', '市住建局')
          .execute();
        const after = await get('/console/organ', session);
        expect(after.status).toBe(303);
        expect(after.headers.get('location')).toBe('/console');
      });

      it('signs another organ’s contact in through DingTalk, to that organ’s items only', async () => {
        const start = await get('/console/login/dingtalk');
        expect(start.status).toBe(302);
        const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
        const res = await get(
          `/console/login/dingtalk/callback?authCode=${ding.issueAuthCode('gonganma01')}&state=${state}`,
          cookieOf(start, 'console_login')!,
        );
        expect(res.status).toBe(200);
        const session = cookieOf(res, 'console_sid')!;
        const home = await get('/console', session);
        expect(home.status).toBe(303);
        expect(home.headers.get('location')).toBe('/console/organ');
        const page = await (await get('/console/organ', session)).text();
        expect(page).toContain(codes[1]);
        expect(page).not.toContain(codes[0]);
        expect((await get(`/console/organ/items/${codes[0]}`, session)).status).toBe(404);
        expect((await get('/console/deputies', session)).status).toBe(403);
        // A code for someone who is no organ's contact and not on the roster signs no one in.
        const again = await get('/console/login/dingtalk');
        const state2 = new URL(again.headers.get('location')!).searchParams.get('state')!;
        const stranger = await get(
          `/console/login/dingtalk/callback?authCode=${ding.issueAuthCode('stranger01')}&state=${state2}`,
          cookieOf(again, 'console_login')!,
        );
        expect(cookieOf(stranger, 'console_sid')).toBeNull();
      });
    },
  );
}
