// Runs one call through a published flow, node by node, until a verb hands the call on or the
// caller hangs up. Each verb is its own file under verbs/. A flow that loops without waiting for
// the caller (branches and variables only) is stopped after MAX_STEPS and the call hung up, so a
// bad flow can never spin the server.
import type { EventPublisher } from '../kernel/index.ts';
import type { FlowDocument, FlowLanguage, FlowNode } from './flow-document.ts';
import { FlowContext, type FlowExit, type InterpreterDeps, type PathStep, type Step } from './flow-context.ts';
import type { IvrCall } from './ivr-call.ts';
import type { IvrEvents } from './ivr-events.ts';
import { branch } from './verbs/branch.ts';
import { businessHours } from './verbs/business-hours.ts';
import { callback, hangup, queue, transfer, voicemail } from './verbs/exits.ts';
import { gather } from './verbs/gather.ts';
import { httpLookup, LookupCache } from './verbs/http-lookup.ts';
import { menu } from './verbs/menu.ts';
import { play } from './verbs/play.ts';
import { setLanguage } from './verbs/set-language.ts';
import { setVariables } from './verbs/set-variables.ts';

export const MAX_STEPS = 500;

export interface FlowRun {
  exit: FlowExit;
  language: FlowLanguage;
  path: PathStep[];
  variables: Record<string, unknown>;
}

export interface PublishedFlow {
  id: string;
  version: number;
  document: FlowDocument;
}

export class IvrInterpreter {
  readonly #deps: InterpreterDeps & { bus: EventPublisher<IvrEvents> };
  readonly #cache = new LookupCache();

  constructor(deps: InterpreterDeps & { bus: EventPublisher<IvrEvents> }) {
    this.#deps = deps;
  }

  /** Runs the call through the flow; never throws (a failing verb ends the run as `failed` and hangs up). */
  async run(flow: PublishedFlow, call: IvrCall, opts: { language?: FlowLanguage } = {}): Promise<FlowRun> {
    const ctx = new FlowContext(flow.document, call, this.#deps, opts.language);
    const iso = (ms: number) => new Date(ms).toISOString();
    ctx.onLeft = (exit, at) => this.#deps.bus.publish('IvrLeft', {
      tenantId: call.tenantId, callId: call.callId, flowId: flow.id, at: iso(at), exit: exit.kind,
      queueId: exit.kind === 'queue' || exit.kind === 'callback' ? exit.queueId : undefined, language: ctx.language, path: [...ctx.path],
    });
    this.#deps.bus.publish('IvrEntered', { tenantId: call.tenantId, callId: call.callId, flowId: flow.id, flowVersion: flow.version, at: iso(this.#deps.now()) });
    let exit: FlowExit;
    try {
      exit = await this.#walk(ctx);
    } catch (err) {
      ctx.log.error({ err }, 'IVR flow failed; hanging up');
      exit = { kind: 'failed', reason: (err as Error).message };
      if (!call.hungUp) await call.hangup().catch(() => {});
    }
    // Runs that end without an exit verb (the caller hung up, the flow failed) are reported here.
    ctx.leaving(exit);
    return { exit, language: ctx.language, path: ctx.path, variables: ctx.vars };
  }

  async #walk(ctx: FlowContext): Promise<FlowExit> {
    let id = ctx.flow.start;
    for (let steps = 0; steps < MAX_STEPS; steps++) {
      if (ctx.call.hungUp) return { kind: 'caller-hung-up' };
      const node = ctx.flow.nodes[id];
      if (!node) {
        ctx.log.error({ node: id }, 'IVR flow names a node it does not have; hanging up');
        await ctx.call.hangup();
        return { kind: 'failed', reason: `no node ${id}` };
      }
      const step = await this.#step(id, node, ctx);
      if ('exit' in step) return step.exit;
      id = step.next;
    }
    ctx.log.error({ steps: MAX_STEPS }, 'IVR flow ran too many steps without the caller; hanging up');
    await ctx.call.hangup();
    return { kind: 'failed', reason: 'too many steps' };
  }

  #step(id: string, n: FlowNode, ctx: FlowContext): Promise<Step> | Step {
    switch (n.type) {
      case 'play': return play(id, n, ctx);
      case 'menu': return menu(id, n, ctx);
      case 'gather': return gather(id, n, ctx);
      case 'setLanguage': return setLanguage(id, n, ctx);
      case 'businessHours': return businessHours(id, n, ctx);
      case 'httpLookup': return httpLookup(id, n, ctx, this.#cache);
      case 'setVariables': return setVariables(id, n, ctx);
      case 'branch': return branch(id, n, ctx);
      case 'queue': return queue(id, n, ctx);
      case 'voicemail': return voicemail(id, n, ctx);
      case 'callback': return callback(id, n, ctx);
      case 'transfer': return transfer(id, n, ctx);
      case 'hangup': return hangup(id, n, ctx);
    }
  }
}
