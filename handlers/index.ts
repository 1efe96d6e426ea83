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
import { staffQueueHandler } from './staff-queue.ts';
import { suggestionAnswerHandler } from './suggestion-answer.ts';
import { suggestionAssignHandler } from './suggestion-assign.ts';
import { suggestionExtendHandler } from './suggestion-extend.ts';
import { suggestionProxyHandler } from './suggestion-proxy.ts';
import { suggestionRateHandler } from './suggestion-rate.ts';
import { suggestionSubmitHandler } from './suggestion-submit.ts';
import { suggestionUrgeHandler } from './suggestion-urge.ts';
import { suggestionWithholdNameHandler } from './suggestion-withhold-name.ts';
import type { CommandHandler } from './types.ts';

// One handler per command of the catalog, each receiving its own command's arguments (a missing or
// mismatched one is a type error here). runtime.ts hands this to the bot's router.
export const handlers = {
  help: helpHandler,
  'broadcast.notify': broadcastHandler,
  'dialog.confirm': confirmHandler,
  'dialog.cancel': cancelHandler,
  'leave.request': leaveRequestHandler,
  'leave.approve': leaveApproveHandler,
  'leave.reject': leaveRejectHandler,
  'activity.attend': activityAttendHandler,
  'activity.decline': activityDeclineHandler,
  'reception.day': receptionDayHandler,
  'reception.book': receptionBookHandler,
  'reception.cancel': receptionCancelHandler,
  'inspection.request': inspectionRequestHandler,
  'duty.record': dutyRecordHandler,
  'suggestion.proxy': withLeaveProxy(suggestionProxyHandler),
  'suggestion.submit': suggestionSubmitHandler,
  'item.query': itemQueryHandler,
  'suggestion.urge': suggestionUrgeHandler,
  'suggestion.withhold_name': suggestionWithholdNameHandler,
  'suggestion.rate': suggestionRateHandler,
  'suggestion.assign': suggestionAssignHandler,
  'suggestion.extend': suggestionExtendHandler,
  'suggestion.answer': suggestionAnswerHandler,
  'staff.queue': staffQueueHandler,
} satisfies { readonly [Id in CommandId]: CommandHandler<Id> };
