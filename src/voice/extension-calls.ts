// Calls to an extension: Switchboard answers the caller as UAS and calls the extension's
// registered phone as UAC, relaying progress, answer, failure, cancel, re-INVITEs (hold) and hang-up between the two
// legs (a signalling B2BUA, RFC 7092 §3.1). SDP passes through unchanged, so media flows between
// the phones; anchoring media on Switchboard's RTP engine comes with the media work.
import type { Clock, Logger } from '../kernel/index.ts';
import { aorOf, isSipUri, type Binding, type CallHandler, type InviteServerSession, type Registrar, type SipDomains, type UserAgent } from '../sip/index.ts';
import type { PhoneStore } from './phone-store.ts';

export interface ExtensionCallsDeps {
  ua: () => UserAgent;
  domains: SipDomains;
  registrar: Registrar;
  phones: PhoneStore;
  clock: Clock;
  log: Logger;
}

/** Failures of the callee's leg as the caller should see them (RFC 3261 §16.7 step 6 spirit). */
function callerStatus(status: number): number {
  if (status === 408 || status === 503) return 480;
  if (status === 401 || status === 407) return 403;
  return status;
}

export class ExtensionCalls implements CallHandler {
  readonly #d: ExtensionCallsDeps;
  #active = 0;

  constructor(deps: ExtensionCallsDeps) {
    this.#d = deps;
  }

  get activeCalls(): number {
    return this.#active;
  }

  incomingCall(session: InviteServerSession): void {
    this.#route(session).catch((err: unknown) => {
      this.#d.log.error({ err, callId: session.request.callId }, 'routing a call failed');
      session.reject(500);
    });
  }

  async #route(session: InviteServerSession): Promise<void> {
    const m = session.request;
    if (!isSipUri(m.uri) || !m.uri.user) { session.reject(404); return; }
    const domain = await this.#d.domains.resolve(m.uri.host);
    if (!domain) { session.reject(404); return; }
    const extension = m.uri.user;
    const bindings = await this.#d.registrar.lookup(domain.tenantId, aorOf(extension, domain.realm), this.#d.clock.now());
    if (bindings.length === 0) {
      // A phone that exists but is not registered is unavailable; an unknown number is not found.
      const phone = await this.#d.phones.byUsername(domain.tenantId, extension);
      session.reject(phone ? 480 : 404);
      return;
    }
    this.#bridge(session, bindings[0]!, extension, domain.realm);
  }

  #bridge(caller: InviteServerSession, binding: Binding, extension: string, realm: string): void {
    const m = caller.request;
    const callerUser = isSipUri(m.from.uri) && m.from.uri.user ? m.from.uri.user : 'anonymous';
    const display = m.from.displayName ? `"${m.from.displayName.replace(/["\\]/g, '')}" ` : '';
    const callee = this.#d.ua().call({
      requestUri: binding.contact,
      destination: binding.source,
      from: `${display}<sip:${callerUser}@${realm}>`,
      to: `<sip:${extension}@${realm}>`,
      sdp: caller.offer,
    });
    this.#active++;
    let done = false;
    const finish = () => { if (!done) { done = true; this.#active--; } };
    callee.events = {
      progress: (status, sdp) => caller.progress(status === 183 && sdp ? 183 : 180, sdp),
      answered: (sdp) => caller.accept(sdp),
      failed: (status, reason) => { caller.reject(callerStatus(status), callerStatus(status) === status ? reason : undefined); finish(); },
      ended: () => { void caller.bye(); finish(); },
      // §14: a re-INVITE (hold, resume, new media) is offered to the other leg and its answer relayed.
      reinvite: (offer) => caller.reinvite(offer).then((r) => (r.status < 300 ? r.sdp : undefined)),
    };
    caller.events = {
      cancelled: () => { callee.cancel(); finish(); },
      ended: () => { void callee.bye(); finish(); },
      reinvite: (offer) => callee.reinvite(offer).then((r) => (r.status < 300 ? r.sdp : undefined)),
    };
  }
}
