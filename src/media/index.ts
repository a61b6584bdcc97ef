// The media engine's public face: RTP sessions, bridges, players, recorders, mixers, prompts,
// text-to-speech and the recording store. Knows nothing of SIP or calls (docs/architecture.md).
export { MediaEngine, type MediaEngineDeps, type PromptResult } from './media-engine.ts';
export { RtpSession, type RtpSessionStats, type RtpFormat, type RtpPeer, type DigitSource, type G711 } from './rtp-session.ts';
export { Bridge } from './bridge.ts';
export { Player, type PromptItem, type PlayOutcome } from './player.ts';
export { Recorder, type RecordingChannel, type RecordingResult } from './recorder.ts';
export { Mixer, MonitorMode } from './mixer.ts';
export { PacingClock, FRAME_MS, FRAME_SAMPLES, type PacedTask } from './pacing-clock.ts';
export type { RecordingStore, RecordingSink, RecordingReadResult, RecordingKeys } from './recording-store.ts';
export { LocalRecordingStore } from './recording-store.local.ts';
export { createRecordingKeys } from './recording-keys.ts';
export type { TextToSpeech, SpeechLanguage, SpeechResult } from './text-to-speech.ts';
export { speechLanguageForLocale } from './text-to-speech.ts';
export { EspeakTextToSpeech } from './text-to-speech.espeak.ts';
export { CachedTextToSpeech } from './speech-cache.ts';
export { TONE_PLANS, ToneGenerator, type ToneSpec } from './tones.ts';
export { holdMusic } from './hold-music.ts';
export { parseWav, decodeWavToMono8k, wavHeader, encodeWav } from './wav.ts';
export { dtmfTone } from './inband-dtmf.ts';
