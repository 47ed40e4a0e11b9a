import { RemoteError, type Remote } from './remote';

export interface HttpRemoteOptions {
  /** The whole `Authorization` header value, e.g. `Bearer …` or `Basic …`. Never put in a message. */
  authorization?: string;
  /** Stands in for the global fetch (tests). */
  fetch?: typeof fetch;
}

/** Hosts plain http:// may reach; the page's CSP (index.html connect-src) allows the same. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * A DVC-compatible HTTP remote: the layout's paths under the URL, read with GET,
 * probed with HEAD, written with PUT (e.g. nginx with WebDAV PUT, or `dvc remote add`
 * of type http). Each call is one independent request, so push and pull may keep
 * several in flight; the browser (or Node's fetch) pools the connections.
 */
export class HttpRemote implements Remote {
  readonly name: string;
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof fetch;

  constructor(url: string, options: HttpRemoteOptions = {}) {
    const parsed = parseRemoteUrl(url);
    this.base = parsed.href.replace(/\/+$/, '');
    this.name = this.base;
    this.headers = options.authorization ? { Authorization: options.authorization } : {};
    // A bare reference to window.fetch throws "Illegal invocation" when called as a method.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async read(path: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    const response = await this.request('GET', path, undefined, signal);
    return response && new Uint8Array(await response.arrayBuffer());
  }

  async has(path: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.request('HEAD', path, undefined, signal)) !== null;
  }

  async write(path: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const response = await this.request('PUT', path, bytes, signal);
    // Read the (usually empty) answer so the connection goes back to the pool.
    await response?.arrayBuffer();
  }

  /** One request: the 2xx response, null for a 404 (nothing there), else a RemoteError. */
  private async request(
    method: 'GET' | 'HEAD' | 'PUT',
    path: string,
    body: Uint8Array | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response | null> {
    const url = `${this.base}/${path.split('/').map(encodeURIComponent).join('/')}`;
    const headers = body ? { ...this.headers, 'Content-Type': 'application/octet-stream' } : this.headers;
    let response: Response;
    try {
      // no-store: a remote's index.json changes under the same URL; a cached copy would be stale.
      response = await this.fetch(url, {
        method,
        headers,
        body: body as Uint8Array<ArrayBuffer> | undefined,
        signal,
        cache: 'no-store',
      });
    } catch (err) {
      signal?.throwIfAborted();
      const why = err instanceof Error ? (describeCause(err) ?? err.message) : String(err);
      // A browser says only "Failed to fetch" for a server that is down and for one whose CORS
      // answer does not admit this page alike.
      const hint = ' Is the server running, and does it allow requests from this page (CORS)?';
      throw new RemoteError('unreachable', path, `Could not reach ${url}: ${why}.${hint}`, { cause: err });
    }
    if (response.ok) return response;
    await response.body?.cancel();
    if (response.status === 404 && method !== 'PUT') return null;
    throw statusError(response.status, response.statusText, method, url, path);
  }
}

function parseRemoteUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new RemoteError('invalid', null, `"${url}" is not a URL. Give the remote as https://host/path.`);
  }
  if (parsed.username || parsed.password) {
    throw new RemoteError(
      'invalid',
      null,
      'The remote URL must not hold a user name or password: put credentials in the Authorization header field.',
    );
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return parsed;
  if (parsed.protocol === 'http:') {
    throw new RemoteError(
      'invalid',
      null,
      `Plain http:// is allowed only for this machine (localhost, 127.0.0.1): to ${parsed.host} it would send the Authorization header in clear. Use https://.`,
    );
  }
  throw new RemoteError('invalid', null, `A remote URL starts with https:// (it was ${parsed.protocol}//).`);
}

/** Node's fetch says only "fetch failed" and keeps the reason (ECONNREFUSED…) in `cause`. */
function describeCause(err: Error): string | null {
  const cause = err.cause;
  if (!(cause instanceof Error)) return null;
  const code = (cause as Error & { code?: unknown }).code;
  return typeof code === 'string' ? `${err.message} (${code})` : `${err.message} (${cause.message})`;
}

function statusError(status: number, statusText: string, method: string, url: string, path: string): RemoteError {
  const answer = `${status}${statusText ? ` ${statusText}` : ''}`;
  if (status === 401) {
    return new RemoteError(
      'unauthorised',
      path,
      `Unauthorised: ${url} answered ${answer}; the Authorization header is missing or not accepted.`,
    );
  }
  if (status === 403) {
    return new RemoteError('forbidden', path, `Forbidden: ${url} answered ${answer}; this remote does not allow ${method} here.`);
  }
  return new RemoteError('refused', path, `${url} refused ${method} with ${answer}.`);
}
