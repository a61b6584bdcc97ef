// The RFC 4475 / RFC 5118 torture corpus, read in place from the shared test assets (never copied).
// SB_SIP_TORTURE_DIR points elsewhere; without the folder the suites skip and say where to get it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const TORTURE_DIR = process.env['SB_SIP_TORTURE_DIR'] ?? resolve(import.meta.dirname, '..', '..', '..', 'shared', 'test-assets', 'sip-torture');
export const TORTURE_MISSING = existsSync(join(TORTURE_DIR, 'expected.json'))
  ? undefined
  : `SIP torture corpus not found in ${TORTURE_DIR}: set SB_SIP_TORTURE_DIR to a folder holding RFC 4475 Appendix B's messages (*.txt, CRLF line ends) and expected.json`;

export interface TortureMessage {
  file: string;
  rfc: string;
  section: string;
  title: string;
  category: 'valid' | 'invalid' | 'semantic' | 'backward-compat';
  message: 'request' | 'response';
  bytes: number;
  expected: string;
}

export function tortureMessages(): (TortureMessage & { data: Buffer })[] {
  if (TORTURE_MISSING) return [];
  const index = JSON.parse(readFileSync(join(TORTURE_DIR, 'expected.json'), 'utf8')) as { messages: TortureMessage[] };
  return index.messages.map((m) => ({ ...m, data: readFileSync(join(TORTURE_DIR, m.file)) }));
}

/**
 * What Switchboard does with each message, read off expected.json's text: `parse` (well-formed, and
 * the server's checks pass), a status the request checks answer with, or a syntax error class.
 * Where the RFC leaves a choice (accept liberally or reject), the comment says which we take.
 */
export const TORTURE_OUTCOME: Record<string, { parse: 'ok' | 'malformed' | 'framing' | 'incomplete'; check?: number }> = {
  'wsinv.txt': { parse: 'ok' },
  'intmeth.txt': { parse: 'ok', check: 501 },
  'esc01.txt': { parse: 'ok' },
  'escnull.txt': { parse: 'ok' },
  'esc02.txt': { parse: 'ok', check: 501 },
  'lwsdisp.txt': { parse: 'ok' },
  'longreq.txt': { parse: 'ok' },
  'dblreq.txt': { parse: 'ok' },
  'semiuri.txt': { parse: 'ok' },
  'transports.txt': { parse: 'ok' },
  'mpart01.txt': { parse: 'ok', check: 405 }, // MESSAGE is not a method this server handles
  'unreason.txt': { parse: 'ok' },
  'noreason.txt': { parse: 'ok' },
  'badinv01.txt': { parse: 'malformed' },
  'clerr.txt': { parse: 'incomplete' },
  'ncl.txt': { parse: 'framing' },
  'scalar02.txt': { parse: 'malformed' },
  'scalarlg.txt': { parse: 'malformed' },
  'quotbal.txt': { parse: 'malformed' },
  'ltgtruri.txt': { parse: 'malformed' },
  'lwsruri.txt': { parse: 'malformed' },
  'lwsstart.txt': { parse: 'malformed' }, // strict: two spaces in the request line
  'trws.txt': { parse: 'malformed' }, // strict: trailing space after SIP/2.0
  'escruri.txt': { parse: 'ok', check: 400 },
  'baddate.txt': { parse: 'ok' }, // Date does not matter here, so it is ignored
  'regbadct.txt': { parse: 'malformed' },
  'badaspec.txt': { parse: 'ok' }, // liberal: spaces inside <> are ignored
  'baddn.txt': { parse: 'malformed' },
  'badvers.txt': { parse: 'ok', check: 505 },
  'mismatch01.txt': { parse: 'ok', check: 400 },
  'mismatch02.txt': { parse: 'ok', check: 501 },
  'bigcode.txt': { parse: 'malformed' },
  'badbranch.txt': { parse: 'ok', check: 400 },
  'insuf.txt': { parse: 'malformed' },
  'unkscm.txt': { parse: 'ok', check: 416 },
  'novelsc.txt': { parse: 'ok', check: 416 },
  'unksm2.txt': { parse: 'ok' },
  'bext01.txt': { parse: 'ok', check: 420 },
  'invut.txt': { parse: 'ok', check: 415 },
  'regaut01.txt': { parse: 'ok' },
  'multi01.txt': { parse: 'malformed' },
  'mcl01.txt': { parse: 'framing' },
  'bcast.txt': { parse: 'ok' },
  'zeromf.txt': { parse: 'ok' },
  'cparam01.txt': { parse: 'ok' },
  'cparam02.txt': { parse: 'ok' },
  'regescrt.txt': { parse: 'ok' },
  'sdp01.txt': { parse: 'ok', check: 406 },
  'inv2543.txt': { parse: 'ok' },
};

/**
 * The final answer Switchboard's running server sends to each corpus message (null: none, e.g. for
 * responses, which are never answered). Requests that name a user who has no phone get 404; a To
 * tag with no matching dialog gets 481 (§12.2.2); REGISTER without credentials gets 401.
 */
export const TORTURE_WIRE_ANSWER: Record<string, number | null> = {
  'wsinv.txt': 481, 'intmeth.txt': 501, 'esc01.txt': 404, 'escnull.txt': 401, 'esc02.txt': 501, 'lwsdisp.txt': 200,
  'longreq.txt': 404, 'dblreq.txt': 401, 'semiuri.txt': 200, 'transports.txt': 200, 'mpart01.txt': 405, 'unreason.txt': null,
  'noreason.txt': null, 'badinv01.txt': 400, 'clerr.txt': 400, 'ncl.txt': 400, 'scalar02.txt': 400, 'scalarlg.txt': null,
  'quotbal.txt': 400, 'ltgtruri.txt': 400, 'lwsruri.txt': 400, 'lwsstart.txt': 400, 'trws.txt': 400, 'escruri.txt': 400,
  'baddate.txt': 404, 'regbadct.txt': 400, 'badaspec.txt': 200, 'baddn.txt': 400, 'badvers.txt': 505, 'mismatch01.txt': 400,
  'mismatch02.txt': 501, 'bigcode.txt': null, 'badbranch.txt': 400, 'insuf.txt': 400, 'unkscm.txt': 416, 'novelsc.txt': 416,
  'unksm2.txt': 400, 'bext01.txt': 420, 'invut.txt': 415, 'regaut01.txt': 401, 'multi01.txt': 400, 'mcl01.txt': 400,
  'bcast.txt': null, 'zeromf.txt': 200, 'cparam01.txt': 401, 'cparam02.txt': 401, 'regescrt.txt': 401, 'sdp01.txt': 406,
  'inv2543.txt': 404,
};
