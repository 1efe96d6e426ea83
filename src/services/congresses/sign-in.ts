import { organOfChatId } from '../../../db/repositories/organ-side.ts';
import { findSender } from '../../../db/repositories/senders.ts';
import type { Channel, TokenRole } from '../../../db/schema.ts';
import type { Principal } from './principal.ts';

// Signing in to the console with WeCom or DingTalk: the platform tells us who the person is (their userid);
// the roster tells us whether they hold a live staff seat and with which role. The session keeps the seat
// and is checked against the roster on each request, so it ends when the role or the mandate does.

/** What a platform sign-in session holds instead of a token. */
export interface SignInSeat {
  channel: Channel;
  userid: string;
  personId: number;
  mandateId: number;
  role: TokenRole;
  /** An organ's contact (role 'organ'; personId and mandateId 0): the organ they act for. */
  organId?: number;
}

const RANK: Record<TokenRole, number> = { organ: 0, staff: 1, approver: 2, admin: 3 };
const isTokenRole = (r: string): r is TokenRole => r === 'staff' || r === 'approver' || r === 'admin';

export type SignInOutcome =
  | { ok: true; principal: Principal; seat: SignInSeat }
  | { ok: false; reason: string };

/** The live staff seat of the person behind a platform userid: the highest role, then the oldest seat. */
export async function platformSignIn(
  db: Parameters<typeof findSender>[0],
  channel: Channel,
  userid: string,
): Promise<SignInOutcome> {
  const sender = await findSender(db, channel, userid);
  const seatOf = (m: { status: string; congressArchived: boolean; role: string }) =>
    m.status === 'active' && !m.congressArchived && isTokenRole(m.role);
  // Not staff: an organ's contact (its register, organ_contacts) signs in to its own items only.
  if (!sender?.mandates.some(seatOf) && (channel === 'wecom' || channel === 'dingtalk')) {
    const contact = await organOfChatId(db, channel, userid);
    if (contact) {
      return {
        ok: true,
        principal: {
          tokenId: 'contact',
          contactId: `${channel}:${userid}`,
          name: contact.name,
          role: 'organ',
          congressId: null,
          organId: contact.organId,
        },
        seat: { channel, userid, personId: 0, mandateId: 0, role: 'organ', organId: contact.organId },
      };
    }
  }
  if (!sender) {
    return { ok: false, reason: '您的账号不在名册中。请联系管理员把您的账号登记到名册，或用登录令牌登录。' };
  }
  const seats = sender.mandates
    .filter((m) => m.status === 'active' && !m.congressArchived && isTokenRole(m.role))
    .sort((a, b) => RANK[b.role as TokenRole] - RANK[a.role as TokenRole] || a.mandateId - b.mandateId);
  const seat = seats[0];
  if (!seat) {
    return {
      ok: false,
      reason: '工作台只供工作人员使用；名册中您没有在任的工作人员身份。如有疑问请联系管理员。',
    };
  }
  const role = seat.role as TokenRole;
  return {
    ok: true,
    principal: {
      tokenId: 'person',
      personId: sender.personId,
      name: sender.name,
      role,
      congressId: seat.congressId,
    },
    seat: { channel, userid, personId: sender.personId, mandateId: seat.mandateId, role },
  };
}

/** Whether the seat a session was opened with still stands: the same person, seat and role, live. */
export async function seatStillHolds(
  db: Parameters<typeof findSender>[0],
  seat: SignInSeat,
): Promise<boolean> {
  if (seat.organId !== undefined) {
    if (seat.channel !== 'wecom' && seat.channel !== 'dingtalk') return false;
    return (await organOfChatId(db, seat.channel, seat.userid))?.organId === seat.organId;
  }
  const sender = await findSender(db, seat.channel, seat.userid);
  if (!sender || sender.personId !== seat.personId) return false;
  const m = sender.mandates.find((x) => x.mandateId === seat.mandateId);
  return m !== undefined && m.status === 'active' && !m.congressArchived && m.role === seat.role;
}
