// Errors that cross an edge carry a stable code and a message a staff member can read (zh-CN).
// Anything else is internal: logged, never shown.

export type ErrorCode =
  | 'bad_request'
  | 'invalid_body'
  | 'invalid_text'
  | 'unauthorized'
  | 'forbidden'
  | 'shared_data_forbidden'
  | 'not_found'
  | 'conflict'
  | 'message_withdrawn'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'calendar_unknown'
  | 'notice_unreadable'
  | 'not_ready'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_body: 400,
  invalid_text: 400,
  unauthorized: 401,
  forbidden: 403,
  // A token bound to one congress asked to change what every congress shares (organs, the calendar).
  shared_data_forbidden: 403,
  not_found: 404,
  conflict: 409,
  // An outbox message that was withdrawn (a notice staff withdrew, a reminder no longer due) is never resent.
  message_withdrawn: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  calendar_unknown: 422,
  // The State Council's holiday notice could not be read in full (the message names the line).
  notice_unreadable: 422,
  not_ready: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
