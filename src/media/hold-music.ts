// The built-in music on hold: a gentle arpeggio over four chords (C, A minor, F, G), synthesized
// once at 8 kHz so that a fresh install has music without shipping an audio file. Each note is a
// sine with a short attack and an exponential decay, kept near −20 dBFS so that the position
// announcements spoken over it stay clearly louder. Workspaces can upload their own music instead.

const RATE = 8000;
const NOTE_MS = 250;
/** Semitones from C4 for each chord's arpeggio (root, third, fifth, octave, fifth, third). */
const CHORDS = [[0, 4, 7, 12, 7, 4], [-3, 0, 4, 9, 4, 0], [-7, -3, 0, 5, 0, -3], [-5, -1, 2, 7, 2, -1]];
const C4 = 261.63;

let cached: Int16Array | undefined;

/** About 12 s of music, made on first use and shared (callers must not write into it). */
export function holdMusic(): Int16Array {
  if (cached) return cached;
  const perNote = (RATE * NOTE_MS) / 1000;
  const notes = CHORDS.flatMap((c) => [...c, ...c]);
  const out = new Int16Array(notes.length * perNote);
  const peak = 32767 * 0.1;
  notes.forEach((semitone, n) => {
    const f = C4 * 2 ** (semitone / 12);
    const bass = C4 * 2 ** ((CHORDS[Math.floor(n / 12)]![0]! - 12) / 12);
    for (let i = 0; i < perNote; i++) {
      const t = i / RATE;
      const envelope = Math.min(1, i / 80) * Math.exp(-3 * t);
      const v = Math.sin(2 * Math.PI * f * t) * envelope + 0.5 * Math.sin(2 * Math.PI * bass * ((n % 12) * perNote + i) / RATE);
      out[n * perNote + i] = Math.round(peak * v);
    }
  });
  cached = out;
  return out;
}
