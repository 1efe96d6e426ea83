import type { Db } from '../../../db/client.ts';
import type { OrganRow } from '../../../db/repositories/organs.ts';
import type { SuggestionRow } from '../../../db/repositories/suggestions.ts';
import { enqueue } from '../../messaging/outbox.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';
import { noticeToStaff } from '../suggestions/index.ts';

// Reaching a handling organ: its contact's WeCom or DingTalk id when set (through the outbox, in working
// hours); otherwise the congress's staff are asked to phone the contact.

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
  if (targets.length > 0) return 'chat';
  const who = organ.contact_name ? `联系人${organ.contact_name}` : '联系人';
  const phone = organ.contact_mobile
    ? `（电话 ${organ.contact_mobile}）`
    : '（未登记电话，请在工作平台补充单位联系人）';
  await noticeToStaff(
    trx,
    cal,
    item,
    `${key}:phone${organ.id}`,
    `【请电话联系】${organ.name}未登记企业微信或钉钉联系人，请电话告知${who}${phone}：\n${text}`,
    now,
    timeZone,
  );
  return 'phone';
}
