// Rings several destinations at once for one call, as a B2BUA forks (the parallel search of RFC 3261
// §16.7, done with one UAC INVITE per destination): each gets its own anchored media leg and our
// offer; the first 2xx wins and every other branch is cancelled (or, if it answered too late, hung
// up); when every branch has failed, the most telling failure status is reported (a rejection over
// a timeout). A cancel stops them all.
import type { Logger } from '../kernel/index.ts';
import type { MediaEngine } from '../media/index.ts';
import type { AudioCodec, ClientCredentials, Endpoint, HeaderField, InviteClientSession, UserAgent } from '../sip/index.ts';
import { MediaLeg } from './media-leg.ts';

export interface RingTarget {
  /** Request-URI: a registered Contact, or a number at a trunk. */
  contact: string;
  source: Endpoint;
  /** The user part of To. */
  username: string;
  /** The host of To (default: the workspace's realm); a carrier's own host for a trunk. */
  toHost?: string | undefined;
  /** Who the call is from, when not the caller (a trunk's caller id). */
  fromUser?: string | undefined;
  credentials?: ClientCredentials | undefined;
}

export interface Answered {
  party: InviteClientSession;
  leg: MediaLeg;
}

export interface Ringing {
  /** Stops every branch still ringing. */
  cancel(): void;
  readonly settled: boolean;
}

export interface RingDeps {
  ua: () => UserAgent;
  media: MediaEngine;
  log: Logger;
}

/** Failure statuses, most telling first: a person said no, then the phone is busy, then the rest. */
const RANK = [603, 486, 600, 403, 404, 480, 408, 503];

export function ring(
  d: RingDeps,
  targets: RingTarget[],
  call: { from: string; realm: string; codec?: AudioCodec | undefined; headers?: HeaderField[] | undefined },
  on: { answered(a: Answered): void; failed(status: number): void },
): Ringing {
  const forks: { session: InviteClientSession; leg: MediaLeg }[] = [];
  let settled = false;
  let pending = targets.length;
  let worst: number | undefined;
  const state: Ringing = {
    get settled() { return settled; },
    cancel() {
      if (settled) return;
      settled = true;
      for (const f of forks) { f.session.cancel(); f.leg.close(); }
    },
  };
  const fail = (status: number) => {
    if (status !== 487 && (worst === undefined || rank(status) < rank(worst))) worst = status;
    if (--pending > 0 || settled) return;
    settled = true;
    on.failed(worst ?? 480);
  };
  if (targets.length === 0) { queueMicrotask(() => { settled = true; on.failed(404); }); return state; }
  void (async () => {
    for (const t of targets) {
      if (settled) return;
      let leg: MediaLeg;
      try {
        leg = await MediaLeg.open(d.media);
      } catch (err) {
        d.log.error({ err }, 'no media for a branch');
        fail(503);
        continue;
      }
      if (settled) { leg.close(); return; }
      const session = d.ua().call({
        requestUri: t.contact, destination: t.source, sdp: leg.offer(call.codec), credentials: t.credentials, headers: call.headers,
        from: t.fromUser ? `<sip:${t.fromUser}@${t.toHost ?? call.realm}>` : call.from, to: `<sip:${t.username}@${t.toHost ?? call.realm}>`,
      });
      forks.push({ session, leg });
      session.events = {
        answered: (sdp) => {
          if (settled || !leg.answered(sdp).ok) { void session.bye(); leg.close(); if (!settled) fail(488); return; }
          settled = true;
          for (const f of forks) if (f.session !== session) { f.session.cancel(); f.leg.close(); }
          on.answered({ party: session, leg });
        },
        failed: (status) => { leg.close(); fail(status); },
      };
    }
  })();
  return state;
}

function rank(status: number): number {
  const i = RANK.indexOf(status);
  return i < 0 ? RANK.length : i;
}
