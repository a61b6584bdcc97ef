// Calls placed by phones and carriers: Switchboard answers the caller as UAS and places the other
// leg as UAC, relaying progress, answer, failure, cancel, re-INVITEs (hold) and hang-up between the
// two (a signalling B2BUA, RFC 7092 §3.1). SDP passes through unchanged, so media flows between the
// endpoints; anchoring media on Switchboard's RTP engine comes with the media work.
// Dial plan: a registered extension rings its phone; any other number goes out through the
// tenant's first trunk, for phones that authenticate (407, RFC 3261 §22.3) and never for calls
// that came in from a trunk (an inbound number, routed by the IVR work, is not found here yet).
import type { Clock, Logger } from '../kernel/index.ts';
import {
  aorOf, isSipUri, type ClientCredentials, type DigestGate, type Endpoint, type InviteServerSession, type Registrar, type SipDomains, type UserAgent, type CallHandler,
} from '../sip/index.ts';
import type { PhoneStore } from './phone-store.ts';
import type { Trunks } from './trunks.ts';

export interface ExtensionCallsDeps {
  ua: () => UserAgent;
  domains: SipDomains;
  registrar: Registrar;
  phones: PhoneStore;
  trunks: Trunks;
  gate: DigestGate;
  clock: Clock;
  log: Logger;
}

/** The far leg of a call: where and how to send its INVITE. */
interface Leg {
  requestUri: string;
  destination: Endpoint;
  from: string;
  to: string;
  credentials?: ClientCredentials | undefined;
}

/** A dialled string that is a telephone number rather than an extension name. */
const NUMBER = /^\+?[0-9]{3,20}$/;

/** Failures of the far leg as the caller should see them. */
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
    const dialled = m.uri.user;
    const callerUser = isSipUri(m.from.uri) && m.from.uri.user ? m.from.uri.user : 'anonymous';
    const display = m.from.displayName ? `"${m.from.displayName.replace(/["\\]/g, '')}" ` : '';

    const [binding] = await this.#d.registrar.lookup(domain.tenantId, aorOf(dialled, domain.realm), this.#d.clock.now());
    if (binding) {
      this.#bridge(session, {
        requestUri: binding.contact, destination: binding.source,
        from: `${display}<sip:${callerUser}@${domain.realm}>`, to: `<sip:${dialled}@${domain.realm}>`,
      });
      return;
    }
    // A phone that exists but is not registered is unavailable.
    if (await this.#d.phones.byUsername(domain.tenantId, dialled)) { session.reject(480); return; }
    if (!NUMBER.test(dialled) || await this.#d.trunks.bySource(domain.tenantId, session.peer.address, session.peer.port)) { session.reject(404); return; }
    const [trunk] = await this.#d.trunks.list(domain.tenantId);
    if (!trunk) { session.reject(404); return; }
    // Toll-fraud guard: only the tenant's own authenticated phones reach a trunk.
    const gate = await this.#d.gate.check(m, session.peer.address, domain.realm, 'proxy');
    if (!gate.ok) { session.reject(gate.status, gate.reason, gate.headers); return; }
    const { password } = await this.#d.trunks.withCredentials(domain.tenantId, trunk.id);
    const host = trunk.port === 5060 ? trunk.host : `${trunk.host}:${trunk.port}`;
    this.#bridge(session, {
      requestUri: `sip:${dialled}@${host}`,
      destination: { protocol: trunk.transport, address: trunk.host, port: trunk.port },
      from: `${display}<sip:${trunk.callerId ?? gate.username}@${trunk.host}>`,
      to: `<sip:${dialled}@${trunk.host}>`,
      credentials: trunk.username && password ? { username: trunk.username, password, realm: trunk.realm } : undefined,
    });
  }

  #bridge(caller: InviteServerSession, leg: Leg): void {
    const callee = this.#d.ua().call({ ...leg, sdp: caller.offer });
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
