// The user agent core (RFC 3261 §8, §12–§15) on top of the stack: OPTIONS, REGISTER through the
// registrar service, INVITE sessions as UAS and UAC, and in-dialog requests (BYE, re-INVITE, INFO,
// REFER, NOTIFY) matched to their dialog. Business decisions are the delegate's (`CallHandler`).
import type { Clock, Logger } from '../../kernel/index.ts';
import { Dialog, DialogSet } from '../dialog/dialog.ts';
import {
  field, newTag, parseMessage, serialize, type HeaderField, type SipRequest, type SipResponse,
} from '../messages/index.ts';
import type { IncomingRequest, SipStack, SipTransactionUser } from '../stack/sip-stack.ts';
import type { ServerTransaction, TxResponse } from '../transaction/index.ts';
import type { Endpoint } from '../transport/transport.ts';
import { InviteClientSession, type OutgoingCall } from './invite-client-session.ts';
import { InviteServerSession } from './invite-server-session.ts';
import { tag } from './in-dialog.ts';

/** What the core asks of the layer above for requests it does not answer itself. */
export interface CallHandler {
  /** A new INVITE outside any dialog; the handler answers through the session. */
  incomingCall(session: InviteServerSession): void;
}

export interface RegisterHandler {
  /** Answers a REGISTER (RFC 3261 §10.3) through `request.respond`. */
  handleRegister(request: IncomingRequest): Promise<void>;
}

export interface UserAgentDeps {
  stack: SipStack;
  clock: Clock;
  log: Logger;
  allow: readonly string[];
  calls: CallHandler;
  registrar?: RegisterHandler | undefined;
}

/** A dialog together with the session that owns it and where its peer is reached. */
export interface DialogOwner {
  dialog: Dialog;
  peer: Endpoint;
  receiveInDialog(request: IncomingRequest): void;
  receiveAck?(ack: SipRequest): void;
  receiveRetransmitted2xx?(response: SipResponse): void;
}

export class UserAgent implements SipTransactionUser {
  readonly stack: SipStack;
  readonly clock: Clock;
  readonly log: Logger;
  readonly #d: UserAgentDeps;
  readonly dialogs = new DialogSet();
  readonly #owners = new Map<Dialog, DialogOwner>();
  readonly #pendingInvites = new Map<ServerTransaction, InviteServerSession>();

  constructor(deps: UserAgentDeps) {
    this.#d = deps;
    this.stack = deps.stack;
    this.clock = deps.clock;
    this.log = deps.log;
    deps.stack.transactionUser = this;
  }

  get allow(): readonly string[] {
    return this.#d.allow;
  }

  /** Contact URI for requests and responses leaving on `protocol`. */
  contact(protocol: Endpoint['protocol'], user = 'switchboard'): string {
    const l = this.stack.local(protocol);
    const host = l.address.includes(':') ? `[${l.address}]` : l.address;
    return `<sip:${user}@${host}:${l.port}${protocol === 'udp' ? '' : `;transport=${protocol}`}>`;
  }

  addDialog(owner: DialogOwner): void {
    this.dialogs.add(owner.dialog);
    this.#owners.set(owner.dialog, owner);
  }

  removeDialog(dialog: Dialog): void {
    dialog.terminate();
    this.dialogs.remove(dialog);
    this.#owners.delete(dialog);
  }

  /** The session owning a dialog, by Call-ID and local/remote tags (RFC 3891 §3 matching). */
  dialogOwner(callId: string, localTag: string, remoteTag: string): DialogOwner | undefined {
    const dialog = this.dialogs.find(callId, localTag, remoteTag);
    return dialog && this.#owners.get(dialog);
  }

  trackInvite(tx: ServerTransaction, session: InviteServerSession | undefined): void {
    if (session) this.#pendingInvites.set(tx, session);
    else this.#pendingInvites.delete(tx);
  }

  get activeDialogs(): number {
    return this.dialogs.size;
  }

  /** Places a call (UAC INVITE, §13.2). */
  call(call: OutgoingCall): InviteClientSession {
    return new InviteClientSession(this, call);
  }

  receiveRequest(req: IncomingRequest): void {
    const m = req.message;
    const toTag = tag(m.to.params);
    if (toTag) {
      const dialog = this.dialogs.find(m.callId, toTag, tag(m.from.params) ?? '');
      const owner = dialog && this.#owners.get(dialog);
      if (!dialog || !owner) { req.respond(481, { toTag: undefined }); return; }
      // §12.2.2: lower CSeq than the last one from the peer is out of order.
      if (dialog.receiveRequest(m.method, m.cseq.seq) === 'out-of-order') { req.respond(500, { reason: 'Out Of Order CSeq' }); return; }
      owner.receiveInDialog(req);
      return;
    }
    switch (m.method) {
      case 'OPTIONS':
        // §11.2: what this element supports.
        req.respond(200, { toTag: newTag(), headers: [field('Allow', this.#d.allow.join(', ')), field('Accept', 'application/sdp'), field('Supported', 'replaces')] });
        return;
      case 'REGISTER':
        if (!this.#d.registrar) { req.respond(405, { toTag: newTag(), headers: [field('Allow', this.#d.allow.filter((x) => x !== 'REGISTER').join(', '))] }); return; }
        this.#d.registrar.handleRegister(req).catch((err: unknown) => {
          this.log.error({ err, callId: m.callId }, 'REGISTER failed');
          req.respond(500, { toTag: newTag() });
        });
        return;
      case 'INVITE': {
        const session = new InviteServerSession(this, req);
        try {
          this.#d.calls.incomingCall(session);
        } catch (err) {
          this.log.error({ err, callId: m.callId }, 'call handler failed');
          session.reject(500);
        }
        return;
      }
      default:
        // BYE, INFO, NOTIFY … outside a dialog (§12.2.2).
        req.respond(481, { toTag: newTag() });
    }
  }

  receiveAck(ack: SipRequest): void {
    const dialog = this.dialogs.find(ack.callId, tag(ack.to.params) ?? '', tag(ack.from.params) ?? '');
    if (dialog) this.#owners.get(dialog)?.receiveAck?.(ack);
  }

  receiveCancel(invite: ServerTransaction): void {
    this.#pendingInvites.get(invite)?.cancelled();
  }

  receiveStrayResponse(res: SipResponse): void {
    if (res.cseq.method !== 'INVITE' || res.status < 200 || res.status >= 300) return;
    const dialog = this.dialogs.find(res.callId, tag(res.from.params) ?? '', tag(res.to.params) ?? '');
    if (dialog) this.#owners.get(dialog)?.receiveRetransmitted2xx?.(res);
  }

  /**
   * Sends a new request inside a dialog (§12.2.1.1) through a client transaction; resolves with the
   * final response, or a synthetic 408/503 on timeout or transport error (§8.1.3.1).
   */
  sendInDialog(owner: DialogOwner, method: string, extra: HeaderField[] = [], body?: Buffer): Promise<number> {
    return new Promise((resolve) => {
      try {
        const r = owner.dialog.createRequest(method);
        const bytes = this.#inDialogBytes(owner, r, extra, body);
        const parsed = parseMessage(bytes);
        if (!parsed.ok || parsed.message.kind !== 'request') throw new Error(`could not build ${method}`);
        this.stack.sendRequest(parsed.message, bytes, owner.peer, {
          receiveResponse: (res: TxResponse) => { if (res.status >= 200) resolve(res.status); },
          timeout: () => resolve(408),
          transportError: () => resolve(503),
        });
      } catch (err) {
        // E.g. the stack is shutting down: report it as a transport failure (§8.1.3.1).
        this.log.debug({ err, callId: owner.dialog.id.callId }, `${method} not sent`);
        resolve(503);
      }
    });
  }

  /**
   * A re-INVITE in the dialog (§14.1): resolves with the final status and, for a 2xx, the answer,
   * after sending the ACK (again for each retransmitted 2xx).
   */
  reinvite(owner: DialogOwner, offer: Buffer): Promise<{ status: number; sdp?: Buffer | undefined }> {
    return new Promise((resolve) => {
      try {
        const r = owner.dialog.createRequest('INVITE');
        const bytes = this.#inDialogBytes(owner, r, [field('Content-Type', 'application/sdp')], offer);
        const parsed = parseMessage(bytes);
        if (!parsed.ok || parsed.message.kind !== 'request') throw new Error('could not build re-INVITE');
        this.stack.sendRequest(parsed.message, bytes, owner.peer, {
          receiveResponse: (res: TxResponse) => {
            if (res.status < 200) return;
            if (res.status >= 300) { resolve({ status: res.status }); return; }
            void this.stack.send(this.ack2xx(owner, r.cseq), owner.peer).catch(() => {});
            const answer = parseMessage(res.bytes);
            resolve({ status: res.status, sdp: answer.ok ? answer.message.body : undefined });
          },
          timeout: () => resolve({ status: 408 }),
          transportError: () => resolve({ status: 503 }),
        });
      } catch (err) {
        this.log.debug({ err, callId: owner.dialog.id.callId }, 're-INVITE not sent');
        resolve({ status: 503 });
      }
    });
  }

  /**
   * RFC 3515 §2.4.4–§2.4.5: the implicit subscription of a REFER, told how the referred request
   * fares as a message/sipfrag of its status line; the final one ends the subscription.
   */
  notifyRefer(owner: DialogOwner, statusLine: string, final: boolean): Promise<number> {
    return this.sendInDialog(owner, 'NOTIFY', [
      field('Event', 'refer'),
      field('Subscription-State', final ? 'terminated;reason=noresource' : 'active;expires=60'),
      field('Content-Type', 'message/sipfrag;version=2.0'),
    ], Buffer.from(`${statusLine}\r\n`));
  }

  /** The ACK for a 2xx (§13.2.2.4): its own branch, the INVITE's CSeq number, sent straight to the peer. */
  ack2xx(owner: DialogOwner, inviteSeq: number): Buffer {
    const r = owner.dialog.createRequest('ACK', inviteSeq);
    return this.#inDialogBytes(owner, r, []);
  }

  #inDialogBytes(owner: DialogOwner, r: ReturnType<Dialog['createRequest']>, extra: HeaderField[], body?: Buffer): Buffer {
    const via = this.stack.via(owner.peer.protocol);
    const headers: HeaderField[] = [
      field('Via', via.value), field('Max-Forwards', 70),
      field('From', `<${r.fromUri}>;tag=${r.fromTag}`), field('To', `<${r.toUri}>;tag=${r.toTag}`),
      field('Call-ID', r.callId), field('CSeq', `${r.cseq} ${r.method}`),
      ...r.route.map((v) => field('Route', v)),
      ...(r.method === 'ACK' || r.method === 'BYE' ? [] : [field('Contact', this.contact(owner.peer.protocol))]),
      ...extra,
    ];
    return serialize(`${r.method} ${r.requestUri} SIP/2.0`, headers, body);
  }
}
