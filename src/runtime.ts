import { Dispatcher } from './bot/dispatch/dispatcher.ts';
import { CommandRouter } from './bot/router.ts';
import { createDingtalkApiClient } from './channels/dingtalk/api-client.ts';
import { dingtalkApiSender, dingtalkSenderByTarget } from './channels/dingtalk/api-sender.ts';
import { dingtalkSender } from './channels/dingtalk/outbound-sender.ts';
import { DingtalkRobotClient } from './channels/dingtalk/robot-client.ts';
import { createWecomClient, type WecomClient } from './channels/wecom/client.ts';
import { wecomSender } from './channels/wecom/outbound-sender.ts';
import type { Deps } from './deps.ts';
import { OutboxDispatcher } from './messaging/outbox-dispatcher.ts';
import type { Senders } from './messaging/sender.ts';

/** The long-lived parts built on top of Deps: the dispatcher, the platform clients, the outbox sender. */
export interface Runtime {
  dispatcher: Dispatcher;
  outbox: OutboxDispatcher;
  senders: Senders;
  wecom: WecomClient | undefined;
}

export interface RuntimeOptions {
  /** Replace the senders (the simulator keeps answers instead of sending them). */
  senders?: Senders;
}

export function createRuntime(deps: Deps, opts: RuntimeOptions = {}): Runtime {
  const wecom = createWecomClient(deps);
  const dingtalkApi = createDingtalkApiClient(deps);
  // DingTalk custom group robots need only their own token and secret; the origin comes with the app config.
  const dingtalkRobots = new DingtalkRobotClient({
    oapiBase: deps.config.dingtalk?.oapiBase ?? 'https://oapi.dingtalk.com',
    store: deps.store,
    log: deps.log,
    clock: deps.clock,
  });
  const senders: Senders = opts.senders ?? {
    ...(wecom ? { wecom: wecomSender(wecom, deps.store) } : {}),
    // Custom group robots by their webhook; people and robot groups through the enterprise robot's API.
    dingtalk: dingtalkSenderByTarget(
      dingtalkSender(dingtalkRobots, deps.db),
      dingtalkApi ? dingtalkApiSender(dingtalkApi) : undefined,
    ),
  };
  const outbox = new OutboxDispatcher(deps, senders);
  const dispatcher = new Dispatcher(deps, new CommandRouter(), { onQueued: () => outbox.kick() });
  return { dispatcher, outbox, senders, wecom };
}
