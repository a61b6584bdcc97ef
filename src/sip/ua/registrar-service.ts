// REGISTER at the registrar (RFC 3261 §10.3): find the tenant from the domain, authenticate with
// digest (RFC 7616/8760, the same challenge for unknown and known users), then update bindings.
import type { Clock, Logger } from '../../kernel/index.ts';
import { field, header, headerValues, isSipUri, newTag, paramOf, parseNameAddr, type SipUri } from '../messages/index.ts';
import type { Registrar, RegisterContact } from '../registrar/index.ts';
import type { IncomingRequest } from '../stack/sip-stack.ts';
import type { RegisterHandler } from './user-agent.ts';
import type { DigestGate } from './digest-gate.ts';

/** Which tenant a SIP domain names, and its digest realm. */
export interface SipDomains {
  resolve(host: string): Promise<{ tenantId: string; realm: string } | undefined>;
}

export interface RegistrarServiceDeps {
  registrar: Registrar;
  gate: DigestGate;
  domains: SipDomains;
  clock: Clock;
  log: Logger;
  /** Told after each successful change, e.g. to publish a PhoneRegistered event. */
  changed?: (tenantId: string, aor: string, contacts: number) => void;
}

/** The canonical AOR of a user in a realm (§10.3 step 5): sip:user@realm. */
export const aorOf = (user: string, realm: string): string => `sip:${user}@${realm}`;

export class RegistrarService implements RegisterHandler {
  readonly #d: RegistrarServiceDeps;

  constructor(deps: RegistrarServiceDeps) {
    this.#d = deps;
  }

  async handleRegister(req: IncomingRequest): Promise<void> {
    const m = req.message;
    const toTag = newTag();
    // §10.3 step 5: the To URI is the AOR and must be a SIP or SIPS URI.
    if (!isSipUri(m.to.uri) || !m.to.uri.user) { req.respond(400, { toTag, reason: 'To Must Be A SIP URI With A User' }); return; }
    const target = isSipUri(m.uri) ? m.uri.host : m.to.uri.host;
    const domain = await this.#d.domains.resolve(target);
    if (!domain) { req.respond(404, { toTag, reason: 'Domain Not Served Here' }); return; }
    // §10.3 steps 3–4 via §22: authenticate, and the user may only change its own AOR.
    const gate = await this.#d.gate.check(m, req.source.address, domain.realm, 'www');
    if (!gate.ok) { req.respond(gate.status, { toTag, reason: gate.reason, headers: gate.headers }); return; }
    const user = (m.to.uri as SipUri).user!;
    if (gate.username !== user) { req.respond(403, { toTag, reason: 'Not Your Address Of Record' }); return; }
    const aor = aorOf(user, domain.realm);

    const contactValues = headerValues(m, 'Contact');
    let contacts: '*' | RegisterContact[];
    try {
      contacts = contactValues.length === 1 && contactValues[0] === '*' ? '*' : contactValues.map(toContact);
    } catch {
      req.respond(400, { toTag, reason: 'Bad Contact' });
      return;
    }
    const expiresText = header(m, 'Expires');
    const expiresHeader = expiresText === undefined ? undefined : /^\d{1,10}$/.test(expiresText.trim()) ? Math.min(Number(expiresText), 2 ** 32 - 1) : NaN;
    if (Number.isNaN(expiresHeader)) { req.respond(400, { toTag, reason: 'Bad Expires' }); return; }
    const now = this.#d.clock.now();
    const out = await this.#d.registrar.register({
      tenantId: domain.tenantId, aor, contacts, expiresHeader, callId: m.callId, cseq: m.cseq.seq, source: req.source, now,
    });
    if (out.status !== 200) {
      req.respond(out.status, { toTag, reason: out.reason, headers: out.minExpires ? [field('Min-Expires', out.minExpires)] : [] });
      return;
    }
    if (contacts === '*' || contacts.length > 0) this.#d.changed?.(domain.tenantId, aor, out.bindings.length);
    // §10.3 step 8: the 200 lists every current binding with its remaining time.
    req.respond(200, {
      toTag,
      headers: [
        ...out.bindings.map((b) => field('Contact', `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`)),
        field('Date', new Date(now).toUTCString()),
      ],
    });
  }
}

function toContact(value: string): RegisterContact {
  const na = parseNameAddr(value);
  const expires = paramOf(na.params, 'expires');
  const q = paramOf(na.params, 'q');
  const instance = paramOf(na.params, '+sip.instance');
  if (expires !== undefined && (expires === null || !/^\d{1,10}$/.test(expires))) throw new Error('bad expires');
  if (q !== undefined && (q === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q))) throw new Error('bad q');
  return {
    uri: na.uriText,
    expires: expires == null ? undefined : Math.min(Number(expires), 2 ** 32 - 1),
    q: q == null ? undefined : Number(q),
    instanceId: instance ?? undefined,
  };
}
