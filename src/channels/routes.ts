import type Router from '@koa/router';
import type { Deps } from '../deps.ts';

// The callback routes of each configured channel.
export function channelRoutes(_deps: Deps): Router[] {
  return [];
}
