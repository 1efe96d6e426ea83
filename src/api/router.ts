import Router from '@koa/router';
import type { Deps } from '../deps.ts';
import { refuseInvalidUrlText } from '../http/body.ts';
import { auditTrail } from './audit-trail.ts';
import { requireAuth } from './auth.ts';
import { apiModules } from './modules.ts';
import { xlsxExport } from './xlsx.ts';

export function apiRouter(deps: Deps): Router {
  const router = new Router({ prefix: '/api' });
  router.use(requireAuth(deps));
  router.use(refuseInvalidUrlText());
  router.use(auditTrail(deps));
  router.use(xlsxExport(deps));
  for (const m of apiModules) m(router, deps);
  return router;
}
