import { expect } from 'vitest';
import type { AnyJson, ApiCall } from './api.ts';

// What a test's setup makes through the staff API (tokens, suggestions handed to organs, sessions and leave
// requests), each answer's status checked so a setup that went wrong says so where it did.

/** A new API token (`role` staff, approver or organ, of `organ` or `congress` when given); its secret. */
export async function issueToken(
  api: ApiCall<AnyJson>,
  body: { name: string; role: string; organ?: string; congress?: string },
): Promise<string> {
  const r = await api('POST', '/tokens', body);
  expect(r.status, r.text).toBe(201);
  return r.json.token;
}

/** A suggestion entered for `deputy` (as `token`, else the admin); its code. */
export async function fileSuggestion(
  api: ApiCall<AnyJson>,
  body: { deputy: string; content: string; secret?: boolean },
  token?: string,
): Promise<string> {
  const r = await api('POST', '/suggestions', body, token);
  expect(r.status, r.text).toBe(201);
  return r.json.code;
}

/** The suggestion `code` handed to `lead` (承办). */
export async function assignSuggestion(api: ApiCall<AnyJson>, code: string, lead: string): Promise<void> {
  const r = await api('POST', `/suggestions/${code}/assignments`, { lead });
  expect(r.status, r.text).toBe(200);
}

/** A session of `congress` (its dates as 2026-12-20); its id. */
export async function addSession(
  api: ApiCall<AnyJson>,
  body: { congress: string; name: string; startsOn: string; endsOn: string },
): Promise<number> {
  const r = await api('POST', '/sessions', body);
  expect(r.status, r.text).toBe(201);
  return r.json.id;
}

/** An activity (列席, 视察, 学习, …) with its invitations; its code (HD-…). */
export async function addActivity(
  api: ApiCall<AnyJson>,
  body: {
    kind: string;
    title: string;
    organiser: string;
    congress?: string;
    startsAt: string;
    endsAt: string;
    invitees: string[];
  },
): Promise<string> {
  const r = await api('POST', '/activities', body);
  expect(r.status, r.text).toBe(201);
  return r.json.code;
}

/** A leave request of the deputy `userid` from `session`; its code. */
export async function askLeave(
  api: ApiCall<AnyJson>,
  body: { userid: string; session: string; reason: string },
): Promise<string> {
  const r = await api('POST', '/leave-requests', body);
  expect(r.status, r.text).toBe(201);
  return r.json.code;
}
