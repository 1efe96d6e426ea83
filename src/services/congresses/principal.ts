import { createHash } from 'node:crypto';
import type { TokenRole } from '../../../db/schema.ts';

// Who acts through the staff API and console: a personal token (or the bootstrap ADMIN_TOKEN) with its
// role and, when bound, its congress. Tokens are kept only as their sha256.

export interface Principal {
  /**
   * 'bootstrap' for ADMIN_TOKEN, 'person' for a WeCom/DingTalk sign-in, 'contact' for an organ's contact
   * signed in through WeCom/DingTalk (not on the roster), otherwise the personal token's id.
   */
  tokenId: number | 'bootstrap' | 'person' | 'contact';
  /** An organ's contact signed in through a platform (tokenId 'contact'): '<channel>:<userid>'. */
  contactId?: string;
  /** The person signed in through WeCom or DingTalk (tokenId 'person'). */
  personId?: number;
  name: string;
  role: TokenRole;
  /** A token bound to one congress acts only within it. */
  congressId: number | null;
  /** Role 'organ': the one handling organ the contact acts for (sees only its items). */
  organId?: number;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** How a principal is named in audit rows and history. */
export const actorOf = (p: Principal): string =>
  p.tokenId === 'bootstrap'
    ? 'admin:bootstrap'
    : p.tokenId === 'person'
      ? `person:${p.personId}`
      : p.tokenId === 'contact'
        ? `organ:${p.contactId}`
        : `token:${p.tokenId}`;
