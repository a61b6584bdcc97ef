// One HTTP request to a tenant's own system (a webhook receiver, the customer lookup). It never
// throws and never waits past its timeout, which runs on the injected Clock; it follows no
// redirect (RFC 9110 §15.4: a 3xx is reported as the answer it is) and keeps at most
// `maxResponseBytes` of the answer. Unless the tenant allows its private network, the address
// actually connected to must be public unicast (request-filtering-agent checks it after DNS, so a
// name that resolves to 10.0.0.1 or 127.0.0.1 is refused too).
import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import type { Clock, TimerHandle } from '../kernel/index.ts';

export interface OutboundRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  timeoutMs: number;
  allowPrivateNetwork: boolean;
  /** Bytes of the answer's body kept; a longer body is an error. 0: the body is not read, only the status. */
  maxResponseBytes: number;
  /** Abandons the request (the process is stopping); answers `{ kind: 'aborted' }`. */
  signal?: AbortSignal | undefined;
}

export type OutboundResult =
  | { kind: 'response'; status: number; contentType: string; body: Buffer }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  /** `message` names the failure (an errno code such as ECONNREFUSED, a refused address); never the URL or headers. */
  | { kind: 'error'; message: string };

const agents = {
  public: { http: new RequestFilteringHttpAgent(), https: new RequestFilteringHttpsAgent() },
  private: { http: new RequestFilteringHttpAgent({ allowPrivateIPAddress: true }), https: new RequestFilteringHttpsAgent({ allowPrivateIPAddress: true }) },
};

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.message === 'string' && e.message.includes('is not allowed')) return 'the address is not allowed (loopback, private or link-local network)';
  if (typeof e?.code === 'string') return e.code;
  return e instanceof Error ? e.message : 'request failed';
}

export function outboundRequest(req: OutboundRequest, clock: Clock): Promise<OutboundResult> {
  return new Promise<OutboundResult>((resolve) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      resolve({ kind: 'error', message: 'not an absolute URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      resolve({ kind: 'error', message: 'not an http or https URL' });
      return;
    }
    if (req.signal?.aborted) {
      resolve({ kind: 'aborted' });
      return;
    }
    const secure = url.protocol === 'https:';
    const pool = req.allowPrivateNetwork ? agents.private : agents.public;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const outgoing = (secure ? https : http).request(url, { method: req.method, headers, agent: secure ? pool.https : pool.http });

    let done = false;
    let timer: TimerHandle | undefined;
    const onAbort = () => finish({ kind: 'aborted' });
    function finish(result: OutboundResult): void {
      if (done) return;
      done = true;
      timer?.cancel();
      req.signal?.removeEventListener('abort', onAbort);
      outgoing.destroy();
      resolve(result);
    }
    timer = clock.setTimeout(() => finish({ kind: 'timeout' }), req.timeoutMs);
    req.signal?.addEventListener('abort', onAbort, { once: true });

    outgoing.on('error', (err) => finish({ kind: 'error', message: describe(err) }));
    outgoing.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const contentType = String(res.headers['content-type'] ?? '');
      if (req.maxResponseBytes === 0) {
        finish({ kind: 'response', status, contentType, body: Buffer.alloc(0) });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > req.maxResponseBytes) finish({ kind: 'error', message: `the answer is longer than ${req.maxResponseBytes} bytes` });
        else chunks.push(chunk);
      });
      res.on('end', () => finish({ kind: 'response', status, contentType, body: Buffer.concat(chunks) }));
      res.on('error', (err) => finish({ kind: 'error', message: describe(err) }));
    });
    outgoing.end(req.body);
  });
}
