// Requests inside an established dialog, answered the same way by both sides of a call:
// §15.1.2 BYE ends it, §14.2 re-INVITE (a target refresh, §12.2.1.2) gets the session's answer,
// REFER (RFC 3515) and others go to the session's `request` hook; unhandled INFO (RFC 6086) and
// NOTIFY are acknowledged, anything else is 501.
import { field, header, type SipRequest } from '../messages/index.ts';
import type { IncomingRequest } from '../stack/sip-stack.ts';
import type { Dialog } from '../dialog/dialog.ts';

export type ReinviteAnswer = Buffer | undefined | Promise<Buffer | undefined>;

export interface InDialogParty {
  dialog: Dialog;
  /** The Contact this side puts in its 2xx. */
  contact: string;
  localSdp: Buffer | undefined;
  /** True while this side's own re-INVITE is pending: a crossing one gets 491 (§14.2). */
  reinviting: boolean;
  /** The answer to a re-INVITE's offer (now or later); undefined refuses it (488). */
  reinvite?: ((offer: Buffer) => ReinviteAnswer) | undefined;
  /** A re-INVITE was answered 200 with `answer`; `offer` is the peer's new description (if it sent one). */
  setSdp(answer: Buffer, offer: Buffer | undefined): void;
  /** The status for INFO, NOTIFY and other methods; undefined: the default. */
  request?: ((m: SipRequest) => number) | undefined;
  /** The peer hung up with BYE (already answered 200). */
  hungUp(): void;
}

export function answerInDialog(req: IncomingRequest, p: InDialogParty): void {
  const m = req.message;
  if (m.method === 'BYE') {
    req.respond(200);
    p.hungUp();
    return;
  }
  if (m.method === 'INVITE') {
    if (p.reinviting) { req.respond(491); return; }
    const finish = (given: Buffer | undefined) => {
      // A re-INVITE without a body asks for our offer: the current session description (§14.2).
      const answer = given ?? (m.body.length === 0 ? p.localSdp : undefined);
      if (!answer) { req.respond(488); return; }
      const contact = header(m, 'Contact');
      if (contact) p.dialog.setRemoteTarget(contactUri(contact));
      p.setSdp(answer, m.body.length > 0 ? m.body : undefined);
      req.respond(200, { headers: [field('Contact', p.contact), field('Content-Type', 'application/sdp')], body: answer });
    };
    const answer = p.reinvite?.(m.body);
    if (answer instanceof Promise) {
      req.respond(100);
      answer.then(finish, () => req.respond(500));
    } else finish(answer);
    return;
  }
  req.respond(p.request?.(m) ?? (m.method === 'INFO' || m.method === 'NOTIFY' ? 200 : 501));
}

/** The URI inside a Contact value (`<sip:…>;expires=…` or a bare URI). */
export function contactUri(value: string): string {
  const m = /<([^>]*)>/.exec(value);
  return (m?.[1] ?? value.split(';')[0] ?? value).trim();
}

/** The tag parameter of From or To. */
export const tag = (params: [string, string | null][]): string | undefined => params.find(([n]) => n.toLowerCase() === 'tag')?.[1] ?? undefined;
