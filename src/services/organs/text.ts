import type { OrganRow } from '../../../db/repositories/organs.ts';

// What staff read about reaching an organ.

/** Asks staff to phone an organ that has no chat contact, passing on the message it should have had. */
export function phoneContactText(organ: OrganRow, text: string): string {
  const who = organ.contact_name ? `联系人${organ.contact_name}` : '联系人';
  const phone = organ.contact_mobile
    ? `（电话 ${organ.contact_mobile}）`
    : '（未登记电话，请在工作平台补充单位联系人）';
  return `【请电话联系】${organ.name}未登记企业微信或钉钉联系人，请电话告知${who}${phone}：\n${text}`;
}
