import { activitiesRoutes } from './activities-routes.ts';
import { broadcastsRoutes } from './broadcasts-routes.ts';
import { calendarRoutes } from './calendar-routes.ts';
import { congressesRoutes } from './congresses-routes.ts';
import { deputiesRoutes } from './deputies-routes.ts';
import { groupsRoutes } from './groups-routes.ts';
import { leaveRoutes } from './leave-routes.ts';
import type { ApiModule } from './module.ts';
import { organSideRoutes } from './organ-side-routes.ts';
import { outboxRoutes } from './outbox-routes.ts';
import { receptionRoutes } from './reception-routes.ts';
import { remindersRoutes } from './reminders-routes.ts';
import { rosterRoutes } from './roster-routes.ts';
import { sessionsRoutes } from './sessions-routes.ts';
import { statisticsRoutes } from './statistics-routes.ts';
import { suggestionsRoutes } from './suggestions-routes.ts';
import { tokensRoutes } from './tokens-routes.ts';

// Every staff API module, in the order they are mounted.
export const apiModules: ApiModule[] = [
  tokensRoutes,
  rosterRoutes,
  deputiesRoutes,
  congressesRoutes,
  groupsRoutes,
  calendarRoutes,
  // Before the staff suggestion routes: an organ's token ends there, staff fall through.
  organSideRoutes,
  suggestionsRoutes,
  outboxRoutes,
  remindersRoutes,
  broadcastsRoutes,
  sessionsRoutes,
  leaveRoutes,
  activitiesRoutes,
  receptionRoutes,
  statisticsRoutes,
];
