import { isLiveMandate } from '../db/repositories/mandates.ts';
import type { ItemLocation, Photo } from '../db/schema.ts';
import { staffCongressesOf } from '../src/bot/dispatch/sender-roles.ts';
import { isAppError } from '../src/errors.ts';
import type { Reply } from '../src/messaging/index.ts';
import type { Actor, AuditSource, DeputyRef, Scope } from '../src/services/suggestions/index.ts';
import type { CommandContext } from './types.ts';

// What the suggestion handlers share: who acts, in which congresses, and a refusal as a plain answer.

export const actorOfChat = (ctx: CommandContext): Actor => ({
  id: `person:${ctx.sender.personId}`,
  name: ctx.sender.name,
  personId: ctx.sender.personId,
});

/** A staff step's audit source in chat: the message it came from, as inbound_messages records it. */
export const chatAudit = (ctx: Pick<CommandContext, 'msg'>): AuditSource => ({
  via: 'chat',
  requestId: `${ctx.msg.channel}:${ctx.msg.messageKey}`,
});

/** The congresses where the sender acts as staff (active, current mandates). */
export const staffScope = (ctx: CommandContext): Scope => staffCongressesOf(ctx.sender);

/** The sender's deputy seat an item goes to (the first active, current one). */
export function deputySeat(
  ctx: CommandContext,
): (DeputyRef & { congressName: string; several: boolean }) | null {
  const seats = ctx.sender.mandates.filter((m) => m.role === 'deputy' && isLiveMandate(m));
  // Several mandates: the congress the deputy named or chose (the router asks once).
  const m = seats.find((x) => x.congressId === ctx.congressId) ?? seats[0];
  if (!m) return null;
  return {
    personId: ctx.sender.personId,
    mandateId: m.mandateId,
    congressId: m.congressId,
    congressName: m.congressName,
    several: seats.length > 1,
  };
}

/** The photos, videos and files sent during the dialog, each with the row its content is kept in. */
export const photosOf = (ctx: CommandContext): Photo[] =>
  ctx.attachments
    .filter((a) => a.kind === 'image' || a.kind === 'video' || a.kind === 'file')
    .map((a) => ({
      ...(a.kind === 'video' || a.kind === 'file' ? { kind: a.kind } : {}),
      ...(a.mediaId ? { mediaId: a.mediaId } : {}),
      ...(a.url ? { url: a.url } : {}),
      ...(a.fileName ? { fileName: a.fileName } : {}),
      ...(a.stored !== undefined ? { stored: a.stored } : {}),
    }));

/** The last location sent during the dialog: it goes with the item. */
export function locationOf(ctx: CommandContext): ItemLocation | null {
  const loc = ctx.attachments.filter((a) => a.kind === 'location' && a.latitude !== undefined).at(-1);
  if (!loc || loc.latitude === undefined || loc.longitude === undefined) return null;
  return { latitude: loc.latitude, longitude: loc.longitude, ...(loc.label ? { label: loc.label } : {}) };
}

/** Runs a service call; a refusal (AppError) becomes the answer, anything else propagates. */
export async function answering(run: () => Promise<Reply>): Promise<Reply> {
  try {
    return await run();
  } catch (e) {
    if (isAppError(e)) return { text: e.message };
    throw e;
  }
}
