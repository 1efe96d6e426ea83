import type Router from '@koa/router';
import type { Deps } from '../deps.ts';

/** A module of staff API routes, mounted under /api behind the token check. */
export type ApiModule = (router: Router, deps: Deps) => void;
