// The record of every contact across channels: timestamps, segments, outcome, disposition,
// recording. Built from other domains' events; read by the API, reports and the CRM timeline.
export { SEGMENT_KINDS, OUTCOMES, type SegmentKind, type InteractionOutcome, type Segment, type Interaction, type InteractionQuery } from './interaction.ts';
export { InteractionStore } from './interaction-store.sql.ts';
export { InteractionRecorder, type InteractionRecorderDeps } from './interaction-recorder.ts';
export type { InteractionEvents } from './interaction-events.ts';
