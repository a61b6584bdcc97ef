// The agent desktop's own state: each user's station and auto-answer preference (`stationOf`,
// `autoAnswer`, for ringing), what every agent is doing now with the facts a screen pop shows and
// the tickets behind their tasks, the contacts each agent handled (history, notes, their own
// recordings), and recording search and playback for supervisors (every access audited).
export {
  CurrentWork, TASK_CHANNEL, TRACKED_EVENTS, MAX_CONTACTS, type AgentWork, type CallWork, type ContactFacts, type IvrStep, type OfferWork, type TaskWork,
  type TrackedEvent, type TrackedEvents, type WrapUpWork,
} from './current-work.ts';
export {
  NOT_READY_REASONS, type NotReadyReason, type CallView, type ContactView, type DeskPhone, type DeskSettings, type HistoryEntry, type OfferView, type TaskOfferView,
  type TaskTicketView, type TaskView, type WorkView, type WrapUpView,
} from './desktop-model.ts';
export { Desktop, HISTORY_LIMIT, type DesktopDeps, type DesktopQueue, type WorkChange } from './desktop.ts';
export { Recordings, SCAN_LIMIT, type RecordingHit, type RecordingListener, type RecordingQuery, type RecordingsDeps } from './recordings.ts';
