// The media domain's front: RTP sessions on the configured port range, bridges, players,
// recorders and mixers, all driven by one pacing clock. Knows nothing of SIP or calls: the voice
// layer opens a session per call leg, configures it from the SDP it negotiated, and joins them.
import { readFile } from 'node:fs/promises';
import type { Logger } from '../kernel/index.ts';
import { Bridge } from './bridge.ts';
import { Mixer } from './mixer.ts';
import { PacingClock, systemPacingTimer, type PacingTimer } from './pacing-clock.ts';
import { Player, type PromptItem } from './player.ts';
import { PortPool } from './port-pool.ts';
import { Recorder } from './recorder.ts';
import type { RecordingStore } from './recording-store.ts';
import { RtpSession } from './rtp-session.ts';
import type { SpeechLanguage, TextToSpeech } from './text-to-speech.ts';
import { TONE_PLANS } from './tones.ts';
import { decodeWavToMono8k } from './wav.ts';

export interface MediaEngineDeps {
  /** The address RTP binds to. */
  bindHost: string;
  /** The address the SDP advertises (default: bindHost). */
  advertise?: string | undefined;
  ports: { min: number; max: number };
  log: Logger;
  recordings?: RecordingStore | undefined;
  tts?: TextToSpeech | undefined;
  clock?: PacingClock;
  /** Where RTCP intervals wait, and the pacing clock when none is given (default: the system's). */
  timer?: PacingTimer;
  /** Monotonic milliseconds (defaults to performance.now). */
  now?: () => number;
  receiveBufferBytes?: number;
}

/** A prompt that could not be loaded: the caller of the API learns why; the call hears the fallback. */
export type PromptResult = { ok: true; item: PromptItem } | { ok: false; code: 'prompt-unreadable' | 'prompt-unsupported' | 'speech-unavailable'; message: string; fallback: PromptItem };

const FALLBACK_TONE: PromptItem = { kind: 'tone', spec: TONE_PLANS.us.beep };

export class MediaEngine {
  /** The address peers send RTP to (what SDP says). */
  readonly host: string;
  readonly #bindHost: string;
  readonly clock: PacingClock;
  readonly ports: PortPool;
  readonly #log: Logger;
  readonly #recordings: RecordingStore | undefined;
  readonly #tts: TextToSpeech | undefined;
  readonly #now: () => number;
  readonly #timer: PacingTimer;
  readonly #sessions = new Set<RtpSession>();

  constructor(deps: MediaEngineDeps) {
    this.#bindHost = deps.bindHost;
    this.host = deps.advertise ?? deps.bindHost;
    this.#log = deps.log;
    this.#recordings = deps.recordings;
    this.#tts = deps.tts;
    this.#timer = deps.timer ?? systemPacingTimer;
    this.clock = deps.clock ?? new PacingClock({ timer: this.#timer, onError: (err) => this.#log.error({ err }, 'paced media task failed') });
    this.#now = deps.now ?? (() => performance.now());
    this.ports = new PortPool(deps.ports, { receiveBufferBytes: deps.receiveBufferBytes });
  }

  get activeSessions(): number {
    return this.#sessions.size;
  }

  /** Opens an RTP session on a free port pair. Throws SB_MEDIA_PORTS_EXHAUSTED when none is left. */
  async openSession(): Promise<RtpSession> {
    const pair = await this.ports.open(this.#bindHost);
    // Each session keeps its own RTCP timer and joins the pacing clock only while sending RFC 4733
    // events: the clock ticks only what needs 20 ms.
    const session: RtpSession = new RtpSession(pair, {
      now: this.#now,
      cname: `switchboard@${this.host}`,
      timer: this.#timer,
      clock: this.clock,
      ended: () => { this.#sessions.delete(session); },
      release: () => this.ports.release(pair.port),
    });
    this.#sessions.add(session);
    return session;
  }

  bridge(a: RtpSession, b: RtpSession): Bridge {
    return new Bridge(a, b);
  }

  player(session: RtpSession): Player {
    return new Player(this.clock, (frame) => session.sendPcm(frame));
  }

  mixer(): Mixer {
    return new Mixer(this.clock);
  }

  /** Starts a stereo recording (left and right as the caller and the agent) into the store. */
  async record(tenantId: string, recordingId: string, opts: { chunkMs?: number } = {}): Promise<Recorder> {
    if (!this.#recordings) throw new Error('no recording store configured');
    const sink = await this.#recordings.create(tenantId, recordingId);
    return new Recorder(sink, this.clock, opts);
  }

  /** Loads a WAV prompt (PCM16, µ-law or A-law, any rate: resampled to 8 kHz). */
  async promptFromFile(path: string): Promise<PromptResult> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      return { ok: false, code: 'prompt-unreadable', message: `prompt file cannot be read (${code})`, fallback: FALLBACK_TONE };
    }
    const decoded = decodeWavToMono8k(bytes);
    if (!decoded.ok) return { ok: false, code: 'prompt-unsupported', message: `prompt file is not a usable WAV: ${decoded.error}`, fallback: FALLBACK_TONE };
    return { ok: true, item: { kind: 'samples', samples: decoded.samples, label: path } };
  }

  /** Renders text as speech in the given language through the configured text-to-speech port. */
  async promptFromText(text: string, language: SpeechLanguage): Promise<PromptResult> {
    if (!this.#tts) return { ok: false, code: 'speech-unavailable', message: 'no text-to-speech engine is configured', fallback: FALLBACK_TONE };
    const r = await this.#tts.synthesize(text, language);
    if (!r.ok) return { ok: false, code: 'speech-unavailable', message: r.message, fallback: FALLBACK_TONE };
    return { ok: true, item: { kind: 'samples', samples: r.samples, label: `tts:${language}` } };
  }

  /** Closes every session (shutdown). */
  close(): void {
    for (const s of [...this.#sessions]) s.close();
    this.clock.stop();
  }
}
