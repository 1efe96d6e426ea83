import { activityPages } from './activities-page.ts';
import { broadcastPages } from './broadcasts-page.ts';
import { congressPages } from './congress-settings-page.ts';
import { groupPages } from './groups-page.ts';
import { inspectionPages } from './inspections-page.ts';
import { organPages } from './organs-page.ts';
import type { ConsoleModule } from './page-context.ts';
import { rosterPages } from './roster-page.ts';
import { sessionPages } from './sessions-page.ts';
import { tokenPages } from './tokens-page.ts';
import { WORKBENCH_CSS } from './workbench-kit.ts';

// The workbench pages: a form for every staff task the API offers beyond items and leave.

const stylesheet: ConsoleModule = (r) => {
  r.get('/assets/workbench.css', 'staff', async (c) => {
    c.ctx.type = 'text/css; charset=utf-8';
    c.ctx.body = WORKBENCH_CSS;
  });
};

export const workbenchPages: ConsoleModule[] = [
  stylesheet,
  activityPages,
  inspectionPages,
  sessionPages,
  broadcastPages,
  rosterPages,
  organPages,
  groupPages,
  congressPages,
  tokenPages,
];
