// The fake WeCom robot and DingTalk Stream gateways live with the simulator (src/cli/fake-gateways.ts),
// which the service may use; tests reach them here.
export {
  encryptAibotMedia,
  FakeDingtalkStreamGateway,
  FakeWecomAibotGateway,
  waitFor,
} from '../../src/cli/fake-gateways.ts';

import type { LongConnectionTiming } from '../../src/channels/long-connection.ts';

/** Short heartbeats, backoff and lease times, so drops and takeovers play out in well under a second. */
export const FAST: LongConnectionTiming = {
  heartbeatMs: 100,
  backoffBaseMs: 20,
  backoffCapMs: 200,
  displacedWaitMs: 60_000,
  answerTimeoutMs: 1000,
  lease: { ttlMs: 1500, renewEveryMs: 150, retryEveryMs: 100 },
};
