// The UAS side of an INVITE (RFC 3261 §13.3, §15): provisional and final responses, the 2xx
// retransmitted until its ACK arrives (§13.3.1.4), CANCEL (§9.2), BYE and re-INVITE in the dialog.
//   Proceeding -> Accepted (2xx sent) -> Confirmed (ACK) -> Ended;  Proceeding -> Ended (rejected/cancelled)
import type { TimerHandle } from '../../kernel/index.ts';
import { Dialog } from '../dialog/dialog.ts';
import { field, header, newTag, type HeaderField, type SipRequest } from '../messages/index.ts';
import type { IncomingRequest } from '../stack/sip-stack.ts';
import type { Endpoint } from '../transport/transport.ts';
import type { DialogOwner, UserAgent } from './user-agent.ts';
import { answerInDialog, contactUri, tag, type ReinviteAnswer } from './in-dialog.ts';
import { DEFAULT_TIMERS } from '../transaction/index.ts';

export type ServerSessionState = 'Proceeding' | 'Accepted' | 'Confirmed' | 'Ended';

export interface ServerSessionEvents {
  /** The caller cancelled before an answer (the session has already sent 487). */
  cancelled?(): void;
  /** The call ended: BYE from the peer, or no ACK for our 2xx (§13.3.1.4). */
  ended?(by: 'remote' | 'timeout'): void;
  /** A re-INVITE (§14.2) with its offer; return the answer (or its promise), undefined to refuse with 488. */
  reinvite?(offer: Buffer): ReinviteAnswer;
  /** INFO (RFC 6086), REFER (RFC 3515) or NOTIFY in the dialog; return the status to answer. */
  request?(request: SipRequest): number;
}

export class InviteServerSession implements DialogOwner {
  readonly request: SipRequest;
  readonly peer: Endpoint;
  readonly localTag = newTag();
  events: ServerSessionEvents = {};
  #ua: UserAgent;
  #incoming: IncomingRequest;
  #state: ServerSessionState = 'Proceeding';
  #dialog: Dialog | undefined;
  #ok: { status: number; options: Parameters<IncomingRequest['respond']>[1] } | undefined;
  #retransmit: TimerHandle | undefined;
  #localSdp: Buffer | undefined;
  #remoteSdp: Buffer | undefined;
  #reinviting = false;

  constructor(ua: UserAgent, incoming: IncomingRequest) {
    this.#ua = ua;
    this.#incoming = incoming;
    this.request = incoming.message;
    this.peer = incoming.source;
    ua.trackInvite(incoming.transaction, this);
    // §17.2.1: answer 100 at once so the caller stops retransmitting.
    incoming.respond(100);
  }

  get state(): ServerSessionState {
    return this.#state;
  }

  get dialog(): Dialog {
    if (!this.#dialog) throw new Error('no dialog before the call is answered');
    return this.#dialog;
  }

  get offer(): Buffer {
    return this.request.body;
  }

  /** The peer's current session description: its offer, or its latest re-INVITE's. */
  get remoteSdp(): Buffer {
    return this.#remoteSdp ?? this.request.body;
  }

  /** Reports the progress of a transfer this peer asked for (RFC 3515 §2.4.4, a sipfrag NOTIFY). */
  notifyRefer(statusLine: string, final: boolean): Promise<number> {
    return this.#ua.notifyRefer(this, statusLine, final);
  }

  #contact(): HeaderField {
    return field('Contact', this.#ua.contact(this.peer.protocol));
  }

  progress(status = 180, sdp?: Buffer): void {
    if (this.#state !== 'Proceeding') return;
    this.#incoming.respond(status, {
      toTag: this.localTag, headers: [this.#contact(), ...(sdp ? [field('Content-Type', 'application/sdp')] : [])], body: sdp,
    });
  }

  /** §13.3.1.4: 2xx with the answer; retransmitted over UDP with T1 doubling to T2 until the ACK. */
  accept(sdp: Buffer): void {
    if (this.#state !== 'Proceeding') return;
    this.#localSdp = sdp;
    const m = this.request;
    const contact = header(m, 'Contact');
    this.#dialog = Dialog.asUas({
      callId: m.callId, fromTag: tag(m.from.params) ?? '', toTag: this.localTag, fromUri: m.from.uriText, toUri: m.to.uriText,
      cseq: m.cseq.seq, remoteTarget: contact ? contactUri(contact) : m.from.uriText,
      recordRoute: m.headers.filter((h) => h.key === 'record-route').map((h) => h.value), secure: false,
    }, this.localTag, 'Confirmed', Math.floor(Math.random() * 2 ** 30));
    this.#ua.addDialog(this);
    this.#ua.trackInvite(this.#incoming.transaction, undefined);
    this.#state = 'Accepted';
    this.#ok = { status: 200, options: { toTag: this.localTag, headers: [this.#contact(), field('Allow', this.#ua.allow.join(', ')), field('Content-Type', 'application/sdp')], body: sdp } };
    this.#incoming.respond(200, this.#ok.options);
    const t = this.#ua.stack.timers ?? DEFAULT_TIMERS;
    const started = this.#ua.clock.now();
    let interval = t.t1;
    const again = () => {
      this.#retransmit = this.#ua.clock.setTimeout(() => {
        if (this.#state !== 'Accepted') return;
        if (this.#ua.clock.now() - started >= 64 * t.t1) {
          // §13.3.1.4: no ACK within 64*T1: confirm then end the session with a BYE.
          this.#state = 'Confirmed';
          void this.bye().then(() => this.events.ended?.('timeout'));
          return;
        }
        this.#incoming.respond(200, this.#ok!.options);
        interval = Math.min(interval * 2, t.t2);
        again();
      }, interval);
    };
    if (this.peer.protocol === 'udp') again();
  }

  reject(status: number, reason?: string, headers: HeaderField[] = []): void {
    if (this.#state !== 'Proceeding') return;
    this.#state = 'Ended';
    this.#ua.trackInvite(this.#incoming.transaction, undefined);
    this.#incoming.respond(status, { toTag: this.localTag, reason, headers });
  }

  /** The CANCEL reached us before a final response (§9.2): 487 to the INVITE. */
  cancelled(): void {
    if (this.#state !== 'Proceeding') return;
    this.reject(487);
    this.events.cancelled?.();
  }

  receiveAck(): void {
    if (this.#state !== 'Accepted') return;
    this.#retransmit?.cancel();
    this.#state = 'Confirmed';
  }

  /** Ends an answered call with BYE (§15.1.1). */
  async bye(): Promise<number> {
    if (!this.#dialog || this.#state === 'Ended') return 481;
    this.#retransmit?.cancel();
    this.#state = 'Ended';
    const status = await this.#ua.sendInDialog(this, 'BYE');
    this.#ua.removeDialog(this.#dialog);
    return status;
  }

  /** Sends a re-INVITE with a new offer (§14.1), e.g. to put the call on hold; resolves with the outcome. */
  async reinvite(offer: Buffer): Promise<{ status: number; sdp?: Buffer | undefined }> {
    if (!this.#dialog || this.#state === 'Ended') return { status: 481 };
    this.#reinviting = true;
    const r = await this.#ua.reinvite(this, offer).finally(() => { this.#reinviting = false; });
    if (r.status < 300) {
      this.#localSdp = offer;
      if (r.sdp?.length) this.#remoteSdp = r.sdp;
    }
    return r;
  }

  receiveInDialog(req: IncomingRequest): void {
    answerInDialog(req, {
      dialog: this.dialog, contact: this.#ua.contact(this.peer.protocol), localSdp: this.#localSdp, reinviting: this.#reinviting,
      reinvite: this.events.reinvite, request: this.events.request, setSdp: (answer, offer) => { this.#localSdp = answer; if (offer) this.#remoteSdp = offer; },
      hungUp: () => {
        this.#retransmit?.cancel();
        const was = this.#state;
        this.#state = 'Ended';
        this.#ua.removeDialog(this.dialog);
        if (was !== 'Ended') this.events.ended?.('remote');
      },
    });
  }
}
