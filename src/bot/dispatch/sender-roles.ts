import { isLiveMandate } from '../../../db/repositories/mandates.ts';
import type { KnownSender, SenderMandate } from '../../../db/repositories/senders.ts';
import type { Role } from '../language/command-catalog.ts';

export interface SenderStanding {
  /** Roles the person may act in now (active mandates of current congresses). */
  roles: Role[];
  /** Roles the person holds at all, whatever their status (for recognising what they ask). */
  heldRoles: Role[];
  /** A deputy whose every deputy mandate is suspended or terminated (S16): why. */
  deputyBlocked: { status: 'suspended' | 'terminated'; reason: string | null; congress: string } | null;
}

/** The congresses where the sender acts as staff now (active mandates of current congresses). */
export const staffCongressesOf = (sender: KnownSender): number[] => [
  ...new Set(sender.mandates.filter((m) => m.role !== 'deputy' && isLiveMandate(m)).map((m) => m.congressId)),
];

/** The congresses whose leave decisions the sender records now (approver mandates, active and current). */
export const approverCongressesOf = (sender: KnownSender): number[] => [
  ...new Set(
    sender.mandates.filter((m) => m.role === 'approver' && isLiveMandate(m)).map((m) => m.congressId),
  ),
];

// A seat of an archived term is history: neither held nor usable.
const current = (m: SenderMandate) => !m.congressArchived;

export function standingOf(sender: KnownSender): SenderStanding {
  const live = sender.mandates.filter(current);
  const roles = new Set<Role>();
  const held = new Set<Role>();
  for (const m of live) {
    held.add(m.role);
    if (isLiveMandate(m)) roles.add(m.role);
  }
  const deputyMandates = live.filter((m) => m.role === 'deputy');
  const blocked =
    deputyMandates.length > 0 && deputyMandates.every((m) => m.status !== 'active')
      ? (deputyMandates.find((m) => m.status === 'suspended') ?? deputyMandates[0]!)
      : null;
  return {
    roles: [...roles],
    heldRoles: [...held],
    deputyBlocked: blocked
      ? {
          status: blocked.status as 'suspended' | 'terminated',
          reason: blocked.statusReason,
          congress: blocked.congressName,
        }
      : null,
  };
}
