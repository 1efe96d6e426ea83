import { dutySummary } from '../src/services/duty-record/index.ts';
import type { CommandHandler } from './types.ts';

// `我的履职 [YYYY]` (山西 第四十三条 S15; S9, S14, S1); with several mandates, of the congress chosen.
export const dutyRecordHandler: CommandHandler<'duty.record'> = {
  id: 'duty.record',
  async run(ctx) {
    const congressName = ctx.sender.mandates.find((m) => m.congressId === ctx.congressId)?.congressName;
    return {
      text: await dutySummary(ctx.deps, { personId: ctx.sender.personId, year: ctx.args.year, congressName }),
    };
  },
};
