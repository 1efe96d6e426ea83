import type { Clock } from '../../src/clock.ts';
import { type BackendName, createTestDeps, type TestDeps } from './backends.ts';
import { dingtalkEnv } from './fake-dingtalk.ts';
import { type FakeDingtalkApi, startFakeDingtalkApi } from './fake-dingtalk-api.ts';
import { type FakeWecom, startFakeWecom } from './fake-wecom.ts';
import { type RunningServer, startServer } from './server.ts';
import { TEST_WECOM, wecomEnv } from './wecom-envelope.ts';

// The app served with WeCom and DingTalk both set up against fakes, for signing in to the console through
// either (the fakes issue the login codes). Nobody is on the roster yet.

export interface SignInPlatforms {
  wecom: FakeWecom;
  ding: FakeDingtalkApi;
  deps: TestDeps;
  server: RunningServer;
}

export async function serveWithSignInPlatforms(backend: BackendName, clock: Clock): Promise<SignInPlatforms> {
  const wecom = await startFakeWecom({ ...TEST_WECOM, clock });
  const ding = await startFakeDingtalkApi({
    appKey: 'ding-test-app-key',
    appSecret: 'ding-test-app-secret-0123456789',
    robotCode: 'ding-test-robot-code',
    clock,
  });
  const deps = await createTestDeps(backend, {
    clock,
    env: { ...wecomEnv(wecom.url), ...dingtalkEnv(ding.url) },
  });
  const server = await startServer(deps);
  return { wecom, ding, deps, server };
}
