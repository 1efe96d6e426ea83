// The staff API as the tests call it: one request, answered with its status, headers, text and JSON.
import { TEST_ADMIN_TOKEN } from './backends.ts';

export interface ApiResponse<J> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; null when the body is empty or not JSON. */
  json: J;
}

// biome-ignore lint/suspicious/noExplicitAny: assertions read response bodies by their expected shape
export type AnyJson = any;

export type ApiCall<J> = (
  method: string,
  path: string,
  body?: unknown,
  token?: string | null,
) => Promise<ApiResponse<J>>;

/**
 * `api(method, path, body?, token?)` against `/api` of the server `baseUrl()` names. The token defaults
 * to `defaultToken()`, else the test admin's; null sends none. Both are read per call, so they can be set
 * in `beforeAll`. An object body goes as JSON, a string as it is (CSV, or deliberately broken JSON).
 */
export function createApi<J = AnyJson>(
  baseUrl: () => string,
  defaultToken: () => string | null = () => TEST_ADMIN_TOKEN,
): ApiCall<J> {
  return async (method, path, body, token = defaultToken()) => {
    const res = await fetch(`${baseUrl()}/api${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined
          ? {}
          : { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: parseJson(text) as J };
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
