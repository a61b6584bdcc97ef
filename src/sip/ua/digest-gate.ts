// Request authentication as a UAS or proxy does it (RFC 3261 §22.1–§22.3): credentials from
// Authorization (401 challenges, e.g. REGISTER) or Proxy-Authorization (407, e.g. an INVITE to a
// trunk), checked by the DigestAuthenticator; the same challenge for unknown and known users.
import type { DigestAlgorithm, DigestAuthenticator } from '../auth/index.ts';
import { field, header, type HeaderField, type SipRequest } from '../messages/index.ts';

export type GateResult =
  | { ok: true; username: string }
  | { ok: false; status: 400 | 401 | 403 | 407; reason?: string | undefined; headers: HeaderField[] };

export class DigestGate {
  readonly #digest: DigestAuthenticator;
  readonly #algorithms: readonly DigestAlgorithm[] | undefined;

  constructor(digest: DigestAuthenticator, algorithms?: readonly DigestAlgorithm[]) {
    this.#digest = digest;
    this.#algorithms = algorithms;
  }

  async check(m: SipRequest, sourceIp: string, realm: string, kind: 'www' | 'proxy'): Promise<GateResult> {
    const verdict = await this.#digest.verify({
      method: m.method, requestUri: m.uriText, credentialsHeader: header(m, kind === 'www' ? 'Authorization' : 'Proxy-Authorization'), sourceIp, realm,
    });
    switch (verdict.outcome) {
      case 'ok':
        return { ok: true, username: verdict.username };
      case 'challenge': {
        const values = this.#digest.challenge({ realm, stale: verdict.stale, ...(this.#algorithms ? { algorithms: this.#algorithms } : {}) });
        return kind === 'www'
          ? { ok: false, status: 401, headers: values.map((c) => field('WWW-Authenticate', c)) }
          : { ok: false, status: 407, headers: values.map((c) => field('Proxy-Authenticate', c)) };
      }
      case 'bad-request':
        return { ok: false, status: 400, reason: 'Bad Authorization', headers: [] };
      default:
        return { ok: false, status: 403, headers: [] };
    }
  }
}
