import type { Channel } from './schema.ts';

// The one form a chat id is stored in (person_identities.external_id_norm) and compared in. Ids come
// from platforms, rosters and staff typing, so stray surrounding spaces are dropped on every channel;
// WeCom userids are case-insensitive, so they are lower-cased too; DingTalk ids compare exactly.
// Migration 009 brought stored rows to this form: keep the two in step.
export function normalizeExternalId(channel: Channel, id: string): string {
  const trimmed = id.trim();
  return channel === 'wecom' ? trimmed.toLowerCase() : trimmed;
}
