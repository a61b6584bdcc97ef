// Dialogs, RFC 3261 §12: the peer-to-peer relationship an INVITE (or SUBSCRIBE/REFER) sets up.
// Early -> Confirmed -> Terminated. URIs are kept as strings; the message layer parses and prints them.

export type DialogState = 'Early' | 'Confirmed' | 'Terminated';

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export const dialogKey = (id: DialogId): string => `${id.callId}\u0000${id.localTag}\u0000${id.remoteTag}`;

/** The fields of a request or response that §12.1 reads to build a dialog. */
export interface DialogSource {
  callId: string;
  /** From tag of the request. */
  fromTag: string;
  /** To tag of the response (the UAS's tag). */
  toTag: string;
  fromUri: string;
  toUri: string;
  /** CSeq number of the request that creates the dialog. */
  cseq: number;
  /** Contact URI of the request (UAS side) or of the response (UAC side): the remote target. */
  remoteTarget: string;
  /** Record-Route values in the order they appear in the message (each a name-addr or URI). */
  recordRoute: string[];
  secure: boolean;
}

export interface InDialogRequest {
  method: string;
  requestUri: string;
  /** Route header values to add, in order. */
  route: string[];
  cseq: number;
  callId: string;
  fromUri: string;
  fromTag: string;
  toUri: string;
  toTag: string;
}

/** How an in-dialog request from the peer fares against §12.2.2. */
export type RemoteCseqCheck = 'ok' | 'out-of-order';

export class Dialog {
  readonly id: DialogId;
  readonly role: 'uac' | 'uas';
  readonly localUri: string;
  readonly remoteUri: string;
  readonly routeSet: readonly string[];
  readonly secure: boolean;
  #state: DialogState;
  #remoteTarget: string;
  #localSeq: number;
  #remoteSeq: number | undefined;

  private constructor(init: {
    id: DialogId; role: 'uac' | 'uas'; state: DialogState; localUri: string; remoteUri: string; remoteTarget: string;
    routeSet: string[]; localSeq: number; remoteSeq: number | undefined; secure: boolean;
  }) {
    this.id = init.id;
    this.role = init.role;
    this.#state = init.state;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.#remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.#localSeq = init.localSeq;
    this.#remoteSeq = init.remoteSeq;
    this.secure = init.secure;
  }

  /**
   * §12.1.1 UAS side: route set = Record-Route in order; remote target = request Contact;
   * remote seq = request CSeq; local seq empty (we start at a random value below 2^31 when we first send).
   */
  static asUas(src: DialogSource, localTag: string, state: DialogState, initialLocalSeq: number): Dialog {
    return new Dialog({
      id: { callId: src.callId, localTag, remoteTag: src.fromTag }, role: 'uas', state,
      localUri: src.toUri, remoteUri: src.fromUri, remoteTarget: src.remoteTarget,
      routeSet: [...src.recordRoute], localSeq: initialLocalSeq, remoteSeq: src.cseq, secure: src.secure,
    });
  }

  /** §12.1.2 UAC side: route set = Record-Route of the response in reverse; local seq = request CSeq; remote seq empty. */
  static asUac(src: DialogSource, state: DialogState): Dialog {
    return new Dialog({
      id: { callId: src.callId, localTag: src.fromTag, remoteTag: src.toTag }, role: 'uac', state,
      localUri: src.fromUri, remoteUri: src.toUri, remoteTarget: src.remoteTarget,
      routeSet: [...src.recordRoute].reverse(), localSeq: src.cseq, remoteSeq: undefined, secure: src.secure,
    });
  }

  get state(): DialogState {
    return this.#state;
  }

  get remoteTarget(): string {
    return this.#remoteTarget;
  }

  get localSeq(): number {
    return this.#localSeq;
  }

  get remoteSeq(): number | undefined {
    return this.#remoteSeq;
  }

  /** §12.1: a 2xx confirms an early dialog. */
  confirm(): void {
    if (this.#state === 'Early') this.#state = 'Confirmed';
  }

  terminate(): void {
    this.#state = 'Terminated';
  }

  /** §12.2.1.1 (target refresh, e.g. a re-INVITE's Contact). */
  setRemoteTarget(uri: string): void {
    this.#remoteTarget = uri;
  }

  /**
   * §12.2.2: a request with a CSeq lower than the remote sequence number is out of order (answer 500);
   * otherwise the remote sequence number becomes the request's. ACK and CANCEL reuse their INVITE's
   * CSeq and are not checked.
   */
  receiveRequest(method: string, cseq: number): RemoteCseqCheck {
    if (method === 'ACK' || method === 'CANCEL') return 'ok';
    if (this.#remoteSeq !== undefined && cseq <= this.#remoteSeq) return 'out-of-order';
    this.#remoteSeq = cseq;
    return 'ok';
  }

  /**
   * §12.2.1.1: builds the addressing of a new in-dialog request. With a loose-routing first hop the
   * Request-URI is the remote target and Route is the route set; with a strict router (no `;lr`) the
   * first route becomes the Request-URI and the remote target goes last in Route.
   * ACK for a 2xx reuses the INVITE's CSeq number (§13.2.2.4): pass `cseqOf`.
   */
  createRequest(method: string, cseqOf?: number): InDialogRequest {
    const cseq = cseqOf ?? ++this.#localSeq;
    let requestUri = this.#remoteTarget;
    let route = [...this.routeSet];
    const first = route[0];
    if (first !== undefined && !/;\s*lr\b/i.test(first)) {
      requestUri = stripNameAddr(first);
      route = [...route.slice(1), `<${this.#remoteTarget}>`];
    }
    return {
      method, requestUri, route, cseq, callId: this.id.callId,
      fromUri: this.localUri, fromTag: this.id.localTag, toUri: this.remoteUri, toTag: this.id.remoteTag,
    };
  }
}

/** `"x" <sip:a@b;lr>;p=1` -> `sip:a@b;lr` (a bare URI is returned as is). */
function stripNameAddr(v: string): string {
  const m = /<([^>]*)>/.exec(v);
  return m?.[1] ?? v.trim();
}

/** Dialogs by id; the dialog layer of one stack. */
export class DialogSet {
  readonly #dialogs = new Map<string, Dialog>();

  add(d: Dialog): void {
    this.#dialogs.set(dialogKey(d.id), d);
  }

  /** §12.2.2: an in-dialog request is matched by Call-ID, its To tag (our local tag) and From tag. */
  find(callId: string, localTag: string, remoteTag: string): Dialog | undefined {
    return this.#dialogs.get(dialogKey({ callId, localTag, remoteTag }));
  }

  remove(d: Dialog): void {
    this.#dialogs.delete(dialogKey(d.id));
  }

  get size(): number {
    return this.#dialogs.size;
  }
}
