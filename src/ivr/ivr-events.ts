// Events the IVR publishes (docs/events.md): when a call enters a flow and how it left it.
import type { FlowLanguage } from './flow-document.ts';
import type { FlowExit, PathStep } from './flow-context.ts';

export type IvrEvents = {
  IvrEntered: { tenantId: string; callId: string; flowId: string; flowVersion: number; at: string };
  IvrLeft: { tenantId: string; callId: string; flowId: string; at: string; exit: FlowExit['kind']; queueId?: string | undefined; language: FlowLanguage; path: PathStep[] };
};
