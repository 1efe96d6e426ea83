import type { Db } from '../client.ts';

// The audit log: one row for every change made through the API, the CLI or the console.

export interface AuditEntry {
  /** Who: 'token:12', 'admin:bootstrap', 'cli'. */
  actor: string;
  /** What, as a dotted verb: 'token.create', 'roster.line', 'mandate.status'. */
  action: string;
  subjectType: string;
  subjectId?: string | number | null;
  detail?: Record<string, unknown>;
  requestId?: string | null;
  /**
   * Where the change came from, for a change staff or organs can make in several ways: its `via` goes into
   * `detail` and its request id is the row's (in place of `requestId`).
   */
  source?: AuditSource;
  /** What the subject was before the change; null or absent when it did not exist. Never a secret. */
  before?: unknown;
  /** What it is after the change; null or absent when it no longer exists. */
  after?: unknown;
}

/**
 * Where a change came from, for its audit row: `requestId` is the HTTP request's id (API, console) or, in
 * chat, the message's channel and id (`wecom:<MsgId>`), as inbound_messages records it. A service that
 * audits a change staff can make in several ways puts `via` in the row's detail.
 */
export interface AuditSource {
  via: 'api' | 'console' | 'chat';
  requestId: string | null;
}

export async function writeAudit(db: Db, e: AuditEntry): Promise<void> {
  await writeAuditMany(db, [e]);
}

export async function writeAuditMany(db: Db, entries: AuditEntry[]): Promise<void> {
  // At most 1,000 rows a statement keeps well under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < entries.length; i += 1000) {
    await insertChunk(db, entries.slice(i, i + 1000));
  }
}

async function insertChunk(db: Db, entries: AuditEntry[]): Promise<void> {
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        actor: e.actor,
        action: e.action,
        subject_type: e.subjectType,
        subject_id: e.subjectId === undefined || e.subjectId === null ? null : String(e.subjectId),
        detail: JSON.stringify(e.source ? { ...e.detail, via: e.source.via } : (e.detail ?? {})),
        request_id: e.source ? e.source.requestId : (e.requestId ?? null),
        before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
        after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
      })),
    )
    .execute();
}
