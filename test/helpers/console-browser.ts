// The staff console as one browser uses it: a cookie jar holding the console cookie, redirects followed by
// hand, and the CSRF token of a page's form.

export interface PageAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export class ConsoleBrowser {
  cookie: string | null = null;
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  /** A browser signed in with `token` (the login form's redirect checked). */
  static async signedIn(base: string, token: string): Promise<ConsoleBrowser> {
    const b = new ConsoleBrowser(base);
    const res = await b.post('/console/login', { token });
    if (res.status !== 303) throw new Error(`console login answered ${res.status}`);
    return b;
  }

  /** `headers` go with the request as well (a referer, a user agent). */
  async request(
    method: string,
    path: string,
    form?: URLSearchParams,
    headers: Record<string, string> = {},
  ): Promise<PageAnswer> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: form.toString() } : {}),
    });
    const set = res.headers.getSetCookie()[0];
    if (set) this.cookie = set.split(';')[0]!;
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  get(path: string): Promise<PageAnswer> {
    return this.request('GET', path);
  }

  post(
    path: string,
    form: Record<string, string> | URLSearchParams,
    headers?: Record<string, string>,
  ): Promise<PageAnswer> {
    return this.request('POST', path, new URLSearchParams(form), headers);
  }

  /** The CSRF token of the form on the page at `path`. */
  async csrf(path: string): Promise<string> {
    return csrfOf((await this.get(path)).text);
  }
}

/** The CSRF token of the (first) form in a page's HTML; empty when it has none. */
export function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}
