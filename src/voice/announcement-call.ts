// A call placed by Switchboard itself to a registered extension that plays prompts and hangs up:
// the building block of announcements, wake-up and callback notices, and the media path test
// (RFC 3261 §13.2 as UAC, our own SDP on an RTP session of the media engine).
import type { Logger } from '../kernel/index.ts';
import type { MediaEngine, PromptItem } from '../media/index.ts';
import type { Binding, UserAgent } from '../sip/index.ts';
import { MediaLeg } from './media-leg.ts';

export type AnnouncementOutcome =
  | { outcome: 'played'; framesPlayed: number }
  | { outcome: 'hung-up'; framesPlayed: number }
  | { outcome: 'failed'; status: number; reason: string };

export interface AnnouncementDeps {
  ua: UserAgent;
  media: MediaEngine;
  log: Logger;
}

/** Rings `binding` as `from`, plays `items` once answered, then sends BYE. */
export async function announce(d: AnnouncementDeps, binding: Binding, call: { from: string; to: string; items: PromptItem[] }): Promise<AnnouncementOutcome> {
  const leg = await MediaLeg.open(d.media);
  const session = d.ua.call({ requestUri: binding.contact, destination: binding.source, from: call.from, to: call.to, sdp: leg.offer() });
  return new Promise((resolve) => {
    const player = d.media.player(leg.session);
    let hungUp = false;
    session.events = {
      failed: (status, reason) => { leg.close(); resolve({ outcome: 'failed', status, reason }); },
      ended: () => { hungUp = true; player.stop(); },
      answered: (sdp) => {
        const r = leg.answered(sdp);
        if (!r.ok) {
          void session.bye();
          leg.close();
          resolve({ outcome: 'failed', status: r.status, reason: r.detail });
          return;
        }
        void player.play(call.items).then(async () => {
          if (!hungUp) await session.bye();
          leg.close();
          resolve({ outcome: hungUp ? 'hung-up' : 'played', framesPlayed: player.framesPlayed });
        }, (err: unknown) => { d.log.error({ err }, 'announcement failed'); });
      },
    };
  });
}
