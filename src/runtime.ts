import type { MessageChannel } from '../db/schema.ts';
import { handlers } from '../handlers/index.ts';
import { Dispatcher } from './bot/dispatch/dispatcher.ts';
import { CommandRouter } from './bot/router.ts';
import { createDingtalkApiClient } from './channels/dingtalk/api-client.ts';
import { dingtalkApiSender, dingtalkSenderByTarget } from './channels/dingtalk/api-sender.ts';
import { dingtalkSender } from './channels/dingtalk/outbound-sender.ts';
import { DingtalkRobotClient } from './channels/dingtalk/robot-client.ts';
import type { PlatformAlerts } from './channels/types.ts';
import { createWecomClient, type WecomClient } from './channels/wecom/client.ts';
import { wecomSender } from './channels/wecom/outbound-sender.ts';
import type { Deps, DomainWiring } from './deps.ts';
import { OutboxDispatcher, type Senders } from './messaging/index.ts';
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
}

export interface RuntimeOptions {
  /** Replace the senders (the simulator keeps answers instead of sending them). */
  senders?: Senders;
  /** Handle every inbound message as from this channel (the simulator's own). */
  channel?: MessageChannel;
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
  // The platforms' downloads, handed to the media service here: services never import channels.
  const media = new MediaFetcher(deps, {
    ...(wecom ? { wecom: (mediaId, maxBytes) => wecom.downloadMedia(mediaId, maxBytes) } : {}),
    ...(dingtalkApi ? { dingtalk: (code, maxBytes) => dingtalkApi.downloadMessageFile(code, maxBytes) } : {}),
  });
  // The chat handlers are handed to the router here, so the bot never imports them.
  const dispatcher = new Dispatcher(deps, new CommandRouter(handlers, { onMediaKept: () => media.kick() }), {
    onQueued: () => outbox.kick(),
    ...(opts.channel ? { channel: opts.channel } : {}),
  });
  const alerts: PlatformAlerts = { quotaSpent: () => alertStaffDingtalkQuotaSpent(deps) };
  return { dispatcher, outbox, senders, wecom, media, alerts };
}
