import type { Context } from 'koa';
import { itemForAudit } from '../api/audit-trail.ts';
import type { Principal } from '../api/auth.ts';
import type { Deps } from '../deps.ts';
import { oneForStaff } from '../services/suggestions/index.ts';
import { todayIn } from '../statute/calendar-date.ts';
import { scopeOf } from './scope.ts';

// What a console form changes, read as the viewer sees it, just before and just after the change: the
// audit row of a form its service does not audit itself carries these as `before` and `after` (a form
// answers with a redirect, which says nothing of what changed).

type Loader = (deps: Deps, ctx: Context, principal: Principal) => Promise<unknown>;

const param = (ctx: Context, name: string): string =>
  String((ctx as { params?: Record<string, string> }).params?.[name] ?? '');

const suggestion: Loader = async (deps, ctx, principal) =>
  itemForAudit(
    await oneForStaff(
      deps,
      param(ctx, 'code'),
      scopeOf(principal),
      todayIn(deps.clock, deps.config.timezone),
    ),
  );

/**
 * By the console route (as registered): how to read the thing it changes. A form whose service audits it
 * (交办, 延期, 答复, a leave decision: with the item before and after) needs none here.
 */
const SUBJECTS: Record<string, Loader> = {
  '/suggestions/:code/details': suggestion,
  '/suggestions/:code/organs': suggestion,
  '/suggestions/:code/return': suggestion,
  '/suggestions/:code/secret': suggestion,
  '/suggestions/:code/review': suggestion,
  '/suggestions/:code/supervise': suggestion,
  '/suggestions/:code/transfer': suggestion,
};

/** The reader of what `path`'s form changes, if the console knows one. */
export const auditSubjectOf = (path: string): Loader | undefined => SUBJECTS[path];
