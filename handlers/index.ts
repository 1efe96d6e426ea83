import type { CommandId } from '../src/bot/language/command-catalog.ts';
import { activityAttendHandler, activityDeclineHandler } from './activity-answer.ts';
import { broadcastHandler } from './broadcast.ts';
import { cancelHandler, confirmHandler } from './confirm.ts';
import { dutyRecordHandler } from './duty-record.ts';
import { helpHandler } from './help.ts';
import { inspectionRequestHandler } from './inspection-request.ts';
import { itemQueryHandler } from './item-query.ts';
import { leaveApproveHandler, leaveRejectHandler } from './leave-decision.ts';
import { leaveRequestHandler } from './leave-request.ts';
import { receptionBookHandler } from './reception-book.ts';
import { receptionCancelHandler } from './reception-cancel.ts';
import { receptionDayHandler } from './reception-day.ts';
import { withLeaveProxy } from './staff-proxy.ts';
import { suggestionAnswerHandler } from './suggestion-answer.ts';
import { suggestionAssignHandler } from './suggestion-assign.ts';
import { suggestionExtendHandler } from './suggestion-extend.ts';
import { suggestionProxyHandler } from './suggestion-proxy.ts';
import { suggestionRateHandler } from './suggestion-rate.ts';
import { suggestionSubmitHandler } from './suggestion-submit.ts';
import { suggestionUrgeHandler } from './suggestion-urge.ts';
import type { CommandHandler } from './types.ts';

// Every chat command that is built. A command in the catalog without a handler here answers that it is
// not yet available and whom to ask instead.
const HANDLERS: CommandHandler[] = [
  helpHandler,
  broadcastHandler,
  confirmHandler,
  cancelHandler,
  leaveRequestHandler,
  leaveApproveHandler,
  leaveRejectHandler,
  activityAttendHandler,
  activityDeclineHandler,
  receptionDayHandler,
  receptionBookHandler,
  receptionCancelHandler,
  inspectionRequestHandler,
  dutyRecordHandler,
  withLeaveProxy(suggestionProxyHandler),
  suggestionSubmitHandler,
  itemQueryHandler,
  suggestionUrgeHandler,
  suggestionRateHandler,
  suggestionAssignHandler,
  suggestionExtendHandler,
  suggestionAnswerHandler,
];

export const handlers: ReadonlyMap<CommandId, CommandHandler> = new Map(HANDLERS.map((h) => [h.id, h]));
