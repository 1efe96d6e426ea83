import { createHash } from 'node:crypto';
import type { TokenRole } from '../../../db/schema.ts';

// Who acts through the staff API and console: a personal token (or the bootstrap ADMIN_TOKEN) with its
// role and, when bound, its congress. Tokens are kept only as their sha256.

export interface Principal {
  /** 'bootstrap' for ADMIN_TOKEN, otherwise the personal token's id. */
  tokenId: number | 'bootstrap';
  name: string;
  role: TokenRole;
  /** A token bound to one congress acts only within it. */
  congressId: number | null;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** How a principal is named in audit rows and history. */
export const actorOf = (p: Principal): string =>
  p.tokenId === 'bootstrap' ? 'admin:bootstrap' : `token:${p.tokenId}`;
