import type { MessageChannel } from '../db/schema.ts';
import { handlers } from '../handlers/index.ts';
import { organDesk } from '../handlers/organ-desk.ts';
import { Dispatcher } from './bot/dispatch/dispatcher.ts';
import { CommandRouter } from './bot/router.ts';
import { createDingtalkApiClient } from './channels/dingtalk/api-client.ts';
import { dingtalkApiSender, dingtalkSenderByTarget } from './channels/dingtalk/api-sender.ts';
import { dingtalkSender } from './channels/dingtalk/outbound-sender.ts';
import { DingtalkRobotClient } from './channels/dingtalk/robot-client.ts';
import { DingtalkStreamConnection } from './channels/dingtalk/stream-connection.ts';
import type { LongConnection, LongConnectionTiming } from './channels/long-connection.ts';
import type { PlatformAlerts } from './channels/types.ts';
import { aibotSender, WecomAibotConnection } from './channels/wecom/aibot-connection.ts';
import { aibotMediaSource } from './channels/wecom/aibot-media.ts';
import { AIBOT_MEDIA_PREFIX } from './channels/wecom/aibot-normalize.ts';
import { createWecomClient, type WecomClient } from './channels/wecom/client.ts';
import { wecomSender } from './channels/wecom/outbound-sender.ts';
import type { Deps, DomainWiring } from './deps.ts';
import { type OutboundSender, OutboxDispatcher, type Senders } from './messaging/index.ts';
import { leaveItemSource } from './services/leave/index.ts';
import { MediaFetcher } from './services/media/index.ts';
import { alertStaffDingtalkQuotaSpent } from './services/notices/index.ts';
import { bookingItemSource, receptionBookersAudience } from './services/reception/index.ts';
import { suggestionItemSource } from './services/suggestions/index.ts';

/**
 * What the domains hand each other, built at start from each domain's index (bootstrap, tests and the
 * bench put it in Deps): the recompute's reception-day audiences and 查询's item sources.
 */
export function domainWiring(): DomainWiring {
  return {
    receptionDayAudiences: [receptionBookersAudience],
    itemSources: [suggestionItemSource, leaveItemSource, bookingItemSource],
  };
}

/** The long-lived parts built on top of Deps: the dispatcher, the platform clients, the outbox sender. */
export interface Runtime {
  dispatcher: Dispatcher;
  outbox: OutboxDispatcher;
  senders: Senders;
  wecom: WecomClient | undefined;
  /** Fetches what people send (photos, voice, files) into our own storage while the platforms serve it. */
  media: MediaFetcher;
  /** What the channel edges report about the platforms themselves. */
  alerts: PlatformAlerts;
  /**
   * The outbound-only connections configured (WeCom's robot, DingTalk Stream): main.ts starts and stops
   * them; each is opened only by the instance holding its lease.
   */
  connections: LongConnection[];
}

export interface RuntimeOptions {
  /** Replace the senders (the simulator keeps answers instead of sending them). */
  senders?: Senders;
  /** Handle every inbound message as from this channel (the simulator's own). */
  channel?: MessageChannel;
  /** Heartbeats, backoff and lease times of the long connections (tests shorten them). */
  connectionTiming?: LongConnectionTiming;
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
  // WeCom's robot connection is built before the senders (its pushes are one of them); it is handed the
  // dispatcher once that exists.
  const inbound: { dispatcher?: Dispatcher } = {};
  const lazyHandler = {
    handle: (...a: Parameters<Dispatcher['handle']>) => inbound.dispatcher!.handle(...a),
  };
  const wecomBot = deps.config.wecomBot
    ? new WecomAibotConnection(deps, lazyHandler, deps.config.wecomBot, opts.connectionTiming)
    : undefined;
  const wecomOut = wecomByTarget(wecom ? wecomSender(wecom, deps.store) : undefined, wecomBot);
  const senders: Senders = opts.senders ?? {
    ...(wecomOut ? { wecom: wecomOut } : {}),
    // Custom group robots by their webhook; people and robot groups through the enterprise robot's API.
    dingtalk: dingtalkSenderByTarget(
      dingtalkSender(dingtalkRobots, deps.db),
      dingtalkApi ? dingtalkApiSender(dingtalkApi) : undefined,
    ),
  };
  // Robot pushes go over the connection, so only its holder claims them.
  const outbox = new OutboxDispatcher(deps, senders, {
    skipTargetKinds: () => (wecomBot && !wecomBot.holds ? ['wecom_bot'] : []),
  });
  // The platforms' downloads, handed to the media service here: services never import channels.
  const media = new MediaFetcher(deps, {
    ...(wecom || wecomBot
      ? {
          // The robot's downloads carry their own address and key; the app's are media_ids.
          wecom: (mediaId, maxBytes) =>
            mediaId.startsWith(AIBOT_MEDIA_PREFIX)
              ? aibotMediaSource(deps.store)(mediaId, maxBytes)
              : wecom
                ? wecom.downloadMedia(mediaId, maxBytes)
                : Promise.resolve({ ok: false, outcome: 'gone', message: '企业微信应用未配置' }),
        }
      : {}),
    ...(dingtalkApi ? { dingtalk: (code, maxBytes) => dingtalkApi.downloadMessageFile(code, maxBytes) } : {}),
  });
  // The chat handlers are handed to the router here, so the bot never imports them.
  const dispatcher = new Dispatcher(deps, new CommandRouter(handlers, { onMediaKept: () => media.kick() }), {
    onQueued: () => outbox.kick(),
    ...(opts.channel ? { channel: opts.channel } : {}),
    organDesk: organDesk(deps),
  });
  inbound.dispatcher = dispatcher;
  const alerts: PlatformAlerts = { quotaSpent: () => alertStaffDingtalkQuotaSpent(deps) };
  const connections: LongConnection[] = [
    ...(wecomBot ? [wecomBot] : []),
    ...(deps.config.dingtalk?.mode === 'stream'
      ? [new DingtalkStreamConnection(deps, dispatcher, alerts, opts.connectionTiming)]
      : []),
  ];
  return { dispatcher, outbox, senders, wecom, media, alerts, connections };
}

/** WeCom's way out: robot pushes over the robot's connection, everything else through the app. */
function wecomByTarget(
  app: OutboundSender | undefined,
  bot: WecomAibotConnection | undefined,
): OutboundSender | undefined {
  if (!bot) return app;
  const robot = aibotSender(bot);
  return {
    ...(app?.duplicateWindowMs ? { duplicateWindowMs: app.duplicateWindowMs } : {}),
    send: async (msg) => {
      if (msg.targetKind === 'wecom_bot') return robot.send(msg);
      if (app) return app.send(msg);
      return {
        ok: false,
        code: 'channel_disabled',
        message: '企业微信应用未配置，只能经智能机器人发送',
        retryable: false,
      };
    },
  };
}
