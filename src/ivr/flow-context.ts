// The state of one call's run through a flow, shared by the verbs: the caller's language, the
// variables, the path taken (for the interaction record), and the ports the verbs use.
import type { Logger } from '../kernel/index.ts';
import type { FlowDocument, FlowLanguage, Prompts } from './flow-document.ts';
import type { IvrCall, PlayResult, SpokenPrompt } from './ivr-call.ts';
import { render, type Variables } from './templates.ts';

/** Is a calendar open at an instant? undefined: no such calendar. */
export interface BusinessHours {
  isOpen(tenantId: string, calendarId: string, at: number): Promise<boolean | undefined>;
}

export interface InterpreterDeps {
  hours: BusinessHours;
  /** Epoch milliseconds (an injected clock). */
  now(): number;
  log: Logger;
  /** HTTP for lookups (global fetch by default; tests may point it elsewhere). */
  fetch?: typeof fetch;
}

/** How the IVR part of a call ended. */
export type FlowExit =
  | { kind: 'queue'; queueId: string }
  | { kind: 'transfer' }
  | { kind: 'voicemail' }
  | { kind: 'callback'; queueId: string }
  | { kind: 'hangup' }
  | { kind: 'caller-hung-up' }
  | { kind: 'failed'; reason: string };

/** One step of the path: the node, and the keys or outcome that led on from it. */
export interface PathStep { node: string; type: string; input?: string; outcome?: string }

export type Step = { next: string } | { exit: FlowExit };

export class FlowContext {
  readonly flow: FlowDocument;
  readonly call: IvrCall;
  readonly deps: InterpreterDeps;
  readonly vars: Variables;
  readonly path: PathStep[] = [];
  readonly log: Logger;
  language: FlowLanguage;
  /** Told once, as the call leaves the flow (before it is handed on, or when the run ends otherwise). */
  onLeft: ((exit: FlowExit, at: number) => void) | undefined;
  #left = false;

  constructor(flow: FlowDocument, call: IvrCall, deps: InterpreterDeps, language?: FlowLanguage) {
    this.flow = flow;
    this.call = call;
    this.deps = deps;
    this.language = language ?? flow.defaultLanguage;
    this.log = deps.log.child({ callId: call.callId });
    this.vars = { caller: call.caller, dialled: call.dialled, callId: call.callId };
  }

  /**
   * The call leaves the flow by `exit`: reported now, before it is handed on, so whoever takes
   * it (an agent's screen pop) already knows the path and language. Only the first call counts.
   */
  leaving(exit: FlowExit): void {
    if (this.#left) return;
    this.#left = true;
    this.onLeft?.(exit, this.deps.now());
  }

  /** Variables as templates see them (the language as it is now). */
  scope(): Variables {
    return { ...this.vars, language: this.language };
  }

  /** A prompt in the caller's language, else the flow's default language, else any it has. */
  resolve(prompts: Prompts | undefined): SpokenPrompt[] {
    if (!prompts) return [];
    const out: SpokenPrompt[] = [];
    for (const p of Array.isArray(prompts) ? prompts : [prompts]) {
      if ('say' in p) {
        const lang = this.#pick(p.say);
        if (lang) out.push({ kind: 'say', text: render(p.say[lang]!, this.scope()), language: lang });
      } else if ('recording' in p) {
        if (typeof p.recording === 'string') out.push({ kind: 'recording', id: p.recording });
        else { const lang = this.#pick(p.recording); if (lang) out.push({ kind: 'recording', id: p.recording[lang]! }); }
      } else if ('tone' in p) out.push({ kind: 'tone', name: p.tone });
      else out.push({ kind: 'silence', ms: p.silenceMs });
    }
    return out;
  }

  #pick(byLanguage: Partial<Record<FlowLanguage, string>>): FlowLanguage | undefined {
    if (byLanguage[this.language]) return this.language;
    if (byLanguage[this.flow.defaultLanguage]) return this.flow.defaultLanguage;
    return (Object.keys(byLanguage) as FlowLanguage[]).find((l) => byLanguage[l]);
  }

  /** Plays and logs what could not be played (the caller heard the fallback tone). */
  async play(prompts: Prompts | undefined, bargeIn: boolean, node: string): Promise<PlayResult> {
    const list = this.resolve(prompts);
    if (list.length === 0) return { outcome: this.call.hungUp ? 'hung-up' : 'finished', failures: [] };
    const r = await this.call.play(list, { bargeIn });
    for (const f of r.failures) this.log.warn({ node, failure: f }, 'IVR prompt could not be played');
    return r;
  }
}
