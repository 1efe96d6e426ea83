import type Router from '@koa/router';
import type { Deps } from '../deps.ts';
import { createDingtalkRouter } from './dingtalk/route.ts';
import type { InboundHandler, PlatformAlerts } from './types.ts';
import { createWecomRouter } from './wecom/route.ts';

// The callback routes of each configured channel.
export function channelRoutes(deps: Deps, handler: InboundHandler, alerts: PlatformAlerts): Router[] {
  const routers: Router[] = [];
  if (deps.config.wecom) routers.push(createWecomRouter(deps, handler));
  if (deps.config.dingtalk) routers.push(createDingtalkRouter(deps, handler, alerts));
  return routers;
}
