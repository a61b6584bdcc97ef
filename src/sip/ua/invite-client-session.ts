// The UAC side of an INVITE (RFC 3261 §13.2, §9.1, §15): sends the INVITE through a client
// transaction, reports provisional and final responses, ACKs a 2xx end to end (§13.2.2.4), and
// CANCELs or BYEs on request.
//   Calling -> Early (1xx) -> Answered (2xx) -> Ended;  Calling/Early -> Ended (failure, cancel)
import { Dialog } from '../dialog/dialog.ts';
import { answerChallenge, type ClientCredentials } from '../auth/index.ts';
import { field, header, headerValues, newTag, parseMessage, serialize, type HeaderField, type SipRequest, type SipResponse } from '../messages/index.ts';
import type { TxResponse } from '../transaction/index.ts';
import type { Endpoint } from '../transport/transport.ts';
import type { DialogOwner, UserAgent } from './user-agent.ts';
import { answerInDialog, contactUri, tag, type ReinviteAnswer } from './in-dialog.ts';

export interface OutgoingCall {
  /** Request-URI (e.g. a registered Contact). */
  requestUri: string;
  /** Where the INVITE goes (for a registered phone: where its REGISTER came from). */
  destination: Endpoint;
  /** From and To as name-addr values, without tags. */
  from: string;
  to: string;
  sdp: Buffer;
  callId?: string | undefined;
  headers?: HeaderField[] | undefined;
  /** For a peer that challenges (a carrier trunk): answered once, and only for this realm (§22.2). */
  credentials?: ClientCredentials | undefined;
}

export type ClientSessionState = 'Calling' | 'Early' | 'Answered' | 'Ended';

export interface ClientSessionEvents {
  progress?(status: number, sdp: Buffer | undefined): void;
  answered?(sdp: Buffer): void;
  /** A final failure: the status received, or 408 (no answer), 503 (transport), 487 (cancelled). */
  failed?(status: number, reason: string): void;
  ended?(by: 'remote'): void;
  reinvite?(offer: Buffer): ReinviteAnswer;
  /** REFER (RFC 3515), INFO or NOTIFY in the dialog; return the status to answer. */
  request?(request: SipRequest): number;
}

export class InviteClientSession implements DialogOwner {
  readonly peer: Endpoint;
  readonly callId: string;
  readonly localTag = newTag();
  events: ClientSessionEvents = {};
  #ua: UserAgent;
  #invite: SipRequest;
  #state: ClientSessionState = 'Calling';
  #dialog: Dialog | undefined;
  #ack: Buffer | undefined;
  #cancelWanted = false;
  #cancelSent = false;
  #localSdp: Buffer;
  #remoteSdp: Buffer | undefined;
  #reinviting = false;
  #call: OutgoingCall;
  #cseq = 1;
  #authAnswered = false;

  constructor(ua: UserAgent, call: OutgoingCall) {
    this.#ua = ua;
    this.#call = call;
    this.peer = call.destination;
    this.callId = call.callId ?? `${newTag()}${newTag()}@switchboard`;
    this.#localSdp = call.sdp;
    [this.#invite] = this.#send([]);
  }

  /** Builds and sends the INVITE (again, with credentials, after a challenge: §22.2, new CSeq and branch). */
  #send(auth: HeaderField[]): [SipRequest] {
    const call = this.#call;
    const ua = this.#ua;
    const headers: HeaderField[] = [
      field('Via', ua.stack.via(call.destination.protocol).value), field('Max-Forwards', 70), field('From', `${call.from};tag=${this.localTag}`), field('To', call.to),
      field('Call-ID', this.callId), field('CSeq', `${this.#cseq} INVITE`), field('Contact', ua.contact(call.destination.protocol)),
      field('Allow', ua.allow.join(', ')), field('Supported', 'replaces'), ...(call.headers ?? []), ...auth, field('Content-Type', 'application/sdp'),
    ];
    const bytes = serialize(`INVITE ${call.requestUri} SIP/2.0`, headers, call.sdp);
    const parsed = parseMessage(bytes);
    if (!parsed.ok || parsed.message.kind !== 'request') throw new Error(`could not build INVITE: ${parsed.ok ? '' : parsed.error.message}`);
    ua.stack.sendRequest(parsed.message, bytes, this.peer, {
      receiveResponse: (res) => this.#response(res),
      timeout: () => this.#fail(408, 'Request Timeout'),
      transportError: () => this.#fail(503, 'Service Unavailable'),
    });
    return [parsed.message];
  }

  /** §22.2: answers one 401/407 for our realm; true when the INVITE went out again. */
  #retryWithCredentials(res: SipResponse): boolean {
    const creds = this.#call.credentials;
    if (!creds || this.#authAnswered || this.#cancelWanted || (res.status !== 401 && res.status !== 407)) return false;
    const challenges = headerValues(res, res.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate');
    const answer = answerChallenge(challenges, creds, 'INVITE', this.#call.requestUri);
    if (!answer) return false;
    this.#authAnswered = true;
    this.#cseq++;
    [this.#invite] = this.#send([field(res.status === 401 ? 'Authorization' : 'Proxy-Authorization', answer)]);
    this.#state = 'Calling';
    return true;
  }

  get state(): ClientSessionState {
    return this.#state;
  }

  /** The peer's current session description (its answer, or its latest re-INVITE's offer). */
  get remoteSdp(): Buffer | undefined {
    return this.#remoteSdp;
  }

  /** Reports the progress of a transfer this peer asked for (RFC 3515 §2.4.4, a sipfrag NOTIFY). */
  notifyRefer(statusLine: string, final: boolean): Promise<number> {
    return this.#ua.notifyRefer(this, statusLine, final);
  }

  get dialog(): Dialog {
    if (!this.#dialog) throw new Error('no dialog before the call is answered');
    return this.#dialog;
  }

  #response(tx: TxResponse): void {
    const parsed = parseMessage(tx.bytes);
    if (!parsed.ok || parsed.message.kind !== 'response') return;
    const res = parsed.message;
    if (res.status < 200) {
      if (this.#state === 'Calling') this.#state = 'Early';
      if (this.#cancelWanted) this.#sendCancel();
      if (res.status > 100) this.events.progress?.(res.status, res.body.length ? res.body : undefined);
      return;
    }
    if (res.status < 300) { this.#answered(res); return; }
    if (this.#retryWithCredentials(res)) return;
    this.#fail(res.status, res.reason);
  }

  #answered(res: SipResponse): void {
    if (this.#dialog) {
      // A retransmitted 2xx: the ACK again (§13.2.2.4).
      if (this.#ack) void this.#ua.stack.send(this.#ack, this.peer).catch(() => {});
      return;
    }
    const contact = header(res, 'Contact');
    this.#dialog = Dialog.asUac({
      callId: this.callId, fromTag: this.localTag, toTag: tag(res.to.params) ?? '', fromUri: this.#invite.from.uriText, toUri: this.#invite.to.uriText,
      cseq: this.#cseq, remoteTarget: contact ? contactUri(contact) : this.#invite.uriText,
      recordRoute: res.headers.filter((h) => h.key === 'record-route').map((h) => h.value), secure: false,
    }, 'Confirmed');
    this.#ua.addDialog(this);
    this.#ack = this.#ua.ack2xx(this, this.#cseq);
    void this.#ua.stack.send(this.#ack, this.peer).catch(() => {});
    if (this.#cancelWanted || this.#state === 'Ended') {
      // §9.1: the CANCEL lost the race with a 2xx: the call is ended with BYE.
      this.#state = 'Answered';
      void this.bye();
      return;
    }
    this.#state = 'Answered';
    this.#remoteSdp = res.body;
    this.events.answered?.(res.body);
  }

  #fail(status: number, reason: string): void {
    if (this.#state === 'Answered' || this.#state === 'Ended') return;
    this.#state = 'Ended';
    this.events.failed?.(status, reason);
  }

  /** §9.1: CANCEL once a provisional response has arrived; before that, wait for one. */
  cancel(): void {
    if (this.#state === 'Answered') { void this.bye(); return; }
    if (this.#state === 'Ended') return;
    this.#cancelWanted = true;
    if (this.#state === 'Early') this.#sendCancel();
  }

  #sendCancel(): void {
    if (this.#cancelSent) return;
    this.#cancelSent = true;
    const inv = this.#invite;
    const keep = (k: string) => inv.headers.filter((h) => h.key === k);
    const topVia = keep('via')[0]!;
    const headers = [topVia, ...keep('route'), field('Max-Forwards', 70), ...keep('from'), ...keep('to'), ...keep('call-id'), field('CSeq', `${inv.cseq.seq} CANCEL`)];
    const bytes = serialize(`CANCEL ${inv.uriText} SIP/2.0`, headers);
    const parsed = parseMessage(bytes);
    if (!parsed.ok || parsed.message.kind !== 'request') return;
    this.#ua.stack.sendRequest(parsed.message, bytes, this.peer, { receiveResponse: () => {} });
  }

  async bye(): Promise<number> {
    if (!this.#dialog || this.#dialog.state === 'Terminated') return 481;
    this.#state = 'Ended';
    const status = await this.#ua.sendInDialog(this, 'BYE');
    this.#ua.removeDialog(this.#dialog);
    return status;
  }

  receiveRetransmitted2xx(): void {
    if (this.#ack) void this.#ua.stack.send(this.#ack, this.peer).catch(() => {});
  }

  /** Sends a re-INVITE with a new offer (§14.1); resolves with the outcome. */
  async reinvite(offer: Buffer): Promise<{ status: number; sdp?: Buffer | undefined }> {
    if (!this.#dialog || this.#state !== 'Answered') return { status: 481 };
    this.#reinviting = true;
    const r = await this.#ua.reinvite(this, offer).finally(() => { this.#reinviting = false; });
    if (r.status < 300) {
      this.#localSdp = offer;
      if (r.sdp?.length) this.#remoteSdp = r.sdp;
    }
    return r;
  }

  receiveInDialog(req: Parameters<DialogOwner['receiveInDialog']>[0]): void {
    answerInDialog(req, {
      dialog: this.dialog, contact: this.#ua.contact(this.peer.protocol), localSdp: this.#localSdp, reinviting: this.#reinviting,
      reinvite: this.events.reinvite, request: this.events.request,
      setSdp: (answer, offer) => { this.#localSdp = answer; if (offer) this.#remoteSdp = offer; },
      hungUp: () => {
        const was = this.#state;
        this.#state = 'Ended';
        this.#ua.removeDialog(this.dialog);
        if (was !== 'Ended') this.events.ended?.('remote');
      },
    });
  }
}
