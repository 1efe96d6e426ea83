import type { Db } from '../../../db/client.ts';
import type { OrganRow } from '../../../db/repositories/organs.ts';
import type { SuggestionRow } from '../../../db/repositories/suggestions.ts';
import { enqueue } from '../../messaging/index.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';

// Reaching a handling organ: its contact's WeCom or DingTalk id when set (through the outbox, in working
// hours). 'phone' means no chat id is recorded: the caller asks staff to phone (phoneContactText).

export type Reached = 'chat' | 'phone';

export async function messageOrganContact(
  trx: Db,
  cal: WorkCalendar,
  organ: OrganRow,
  item: SuggestionRow,
  key: string,
  text: string,
  now: Date,
  timeZone: string,
): Promise<Reached> {
  if (item.secret && text.includes(item.content))
    throw new Error(`secret content in a message about ${item.code}`);
  const notBefore = nextSendingTime(cal, now, timeZone);
  const targets: { channel: 'wecom' | 'dingtalk'; address: string }[] = [];
  if (organ.contact_wecom) targets.push({ channel: 'wecom', address: organ.contact_wecom });
  if (organ.contact_dingtalk) targets.push({ channel: 'dingtalk', address: organ.contact_dingtalk });
  for (const t of targets) {
    await enqueue(trx, {
      channel: t.channel,
      targetKind: 'user',
      targetAddress: t.address,
      payload: { text },
      idempotencyKey: `suggestion:${item.code}:${key}:organ${organ.id}:${t.channel}`,
      cause: `suggestion:${item.code}`,
      notBefore,
    });
  }
  return targets.length > 0 ? 'chat' : 'phone';
}
