// Speech for benchmarks: espeak-ng renders a contact-center prompt to a WAV, sox turns it into the
// headerless 8 kHz µ-law (G.711) that sipp's rtp_stream plays.
import { spawnSync } from 'node:child_process';

export const PROMPT_TEXT = [
  'Thank you for calling. Your call may be recorded for quality and training purposes.',
  'For sales, press one. For support, press two. For billing and accounts, press three.',
  'To hear these options again, press star. All of our agents are busy helping other customers;',
  'please stay on the line and the next available agent will take your call.',
].join(' ');

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${cmd} failed (${r.error?.message ?? r.stderr.trim()}): apt-get install -y ${cmd === 'sox' ? 'sox' : 'espeak-ng'}`);
}

/** espeak-ng's English voice as a WAV (22.05 kHz, 16-bit mono). */
export function speechWav(path: string, text = PROMPT_TEXT): void {
  run('espeak-ng', ['-v', 'en-us', '-w', path, text]);
}

/** A WAV converted to raw 8 kHz mono µ-law, no header. */
export function ulawFile(wav: string, path: string): void {
  run('sox', [wav, '-t', 'raw', '-r', '8000', '-c', '1', '-e', 'mu-law', '-b', '8', path]);
}
