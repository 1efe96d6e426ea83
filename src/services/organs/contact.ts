import type { Db } from '../../../db/client.ts';
import { contactsOfOrgan } from '../../../db/repositories/organ-side.ts';
import type { OrganRow } from '../../../db/repositories/organs.ts';
import type { SuggestionRow } from '../../../db/repositories/suggestions.ts';
import { enqueue, type ReplyButton } from '../../messaging/index.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';

// Reaching a handling organ: its contact's WeCom or DingTalk id when set (through the outbox, in working
// hours). 'phone' means no chat id is recorded: the caller asks staff to phone (phoneContactText).
// Every contact of the organ is reached (the organ's row and organ_contacts); `leaders` reaches only the
// contacts marked as its leader (a reminder escalated after two went unanswered).

export interface ReachOptions {
  buttons?: ReplyButton[];
  leaders?: boolean;
}

/** The chat ids of an organ's contacts (or of its leaders only), without repeats. */
export async function organChatTargets(
  trx: Db,
  organ: OrganRow,
  leaders = false,
): Promise<{ channel: 'wecom' | 'dingtalk'; address: string }[]> {
  const targets: { channel: 'wecom' | 'dingtalk'; address: string }[] = [];
  const add = (channel: 'wecom' | 'dingtalk', address: string | null) => {
    if (address && !targets.some((t) => t.channel === channel && t.address === address))
      targets.push({ channel, address });
  };
  if (!leaders) {
    add('wecom', organ.contact_wecom);
    add('dingtalk', organ.contact_dingtalk);
  }
  for (const c of await contactsOfOrgan(trx, organ.id)) {
    if (leaders && !c.leader) continue;
    add('wecom', c.wecom_userid);
    add('dingtalk', c.dingtalk_userid);
  }
  return targets;
}

export type Reached = 'chat' | 'phone';

export async function messageOrganContact(
  trx: Db,
  cal: WorkCalendar,
  organ: OrganRow,
  item: SuggestionRow,
  m: { key: string; text: string; now: Date; timeZone: string; opts?: ReachOptions },
): Promise<Reached> {
  const { key, text, now, timeZone, opts = {} } = m;
  if (item.secret && text.includes(item.content))
    throw new Error(`secret content in a message about ${item.code}`);
  const notBefore = nextSendingTime(cal, now, timeZone);
  const targets = await organChatTargets(trx, organ, opts.leaders === true);
  for (const t of targets) {
    await enqueue(trx, {
      channel: t.channel,
      targetKind: 'user',
      targetAddress: t.address,
      payload: { text, ...(opts.buttons ? { buttons: opts.buttons } : {}) },
      idempotencyKey: `suggestion:${item.code}:${key}:organ${organ.id}:${t.channel}:${t.address}`,
      cause: `suggestion:${item.code}`,
      notBefore,
    });
  }
  return targets.length > 0 ? 'chat' : 'phone';
}
