// The messaging module's door: what is said (Reply), where it goes (targets), the outbox that queues it,
// the dispatcher that sends it, the sender interface channels implement, and splitting long text.
// It depends on db/ only: channels and services depend on it, never the other way round.

export {
  alsoServes,
  type Executor,
  enqueue,
  enqueueToGroups,
  enqueueToPerson,
  enqueueToPersonIds,
  type GroupPrivateMessage,
  groupMessageRow,
} from './outbox.ts';
export { backoffMs, type DispatchSummary, OutboxDispatcher } from './outbox-dispatcher.ts';
export type { Reply, ReplyButton } from './reply.ts';
export {
  type RequeueBy,
  type RequeueOneResult,
  requeueAll,
  requeueOne,
  WITHDRAWN_NOT_REQUEUED,
} from './requeue.ts';
export type { OutboundEnvelope, OutboundSender, Senders, SendResult } from './sender.ts';
export { fitsIn, splitText } from './split.ts';
export type { OutboundMessage, OutboundPayload, TargetKind } from './targets.ts';
