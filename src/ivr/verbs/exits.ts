// The verbs that end the IVR's part of a call by handing it on: queue (with the skills the caller
// needs, and their language when the queue asks for it), voicemail, callback request, transfer,
// hang-up. Each may speak a prompt first.
import type { FlowNode, SkillNeed } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';
import { lookupPath } from '../templates.ts';

type Exit<T extends FlowNode['type']> = Extract<FlowNode, { type: T }>;

/** The skill an agent needs to speak the caller's language (`lang:cmn`). */
export const languageSkill = (language: string): string => `lang:${language}`;

export async function queue(id: string, n: Exit<'queue'>, ctx: FlowContext): Promise<Step> {
  const requirements: SkillNeed[] = [...(n.skills ?? [])];
  if (n.matchLanguage) requirements.push({ skill: languageSkill(ctx.language), minProficiency: 1 });
  ctx.path.push({ node: id, type: 'queue', outcome: n.queueId });
  ctx.leaving({ kind: 'queue', queueId: n.queueId });
  await ctx.call.enqueue({ queueId: n.queueId, priority: n.priority ?? 0, requirements, language: ctx.language, callbackKey: n.callbackKey });
  return { exit: { kind: 'queue', queueId: n.queueId } };
}

export async function voicemail(id: string, n: Exit<'voicemail'>, ctx: FlowContext): Promise<Step> {
  if ((await ctx.play(n.prompt, false, id)).outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
  ctx.path.push({ node: id, type: 'voicemail' });
  ctx.leaving({ kind: 'voicemail' });
  await ctx.call.voicemail({ maxSeconds: n.maxSeconds ?? 120, language: ctx.language });
  return { exit: { kind: 'voicemail' } };
}

export async function callback(id: string, n: Exit<'callback'>, ctx: FlowContext): Promise<Step> {
  if ((await ctx.play(n.prompt, false, id)).outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
  const chosen = n.numberVariable ? lookupPath(ctx.vars, n.numberVariable) : undefined;
  const number = typeof chosen === 'string' && chosen ? chosen : ctx.call.caller;
  ctx.path.push({ node: id, type: 'callback', outcome: n.queueId });
  ctx.leaving({ kind: 'callback', queueId: n.queueId });
  await ctx.call.requestCallback({ queueId: n.queueId, number, language: ctx.language });
  // The caller heard the node's confirmation; the call ends here, the callback waits its turn.
  await ctx.call.hangup();
  return { exit: { kind: 'callback', queueId: n.queueId } };
}

export async function transfer(id: string, n: Exit<'transfer'>, ctx: FlowContext): Promise<Step> {
  if ((await ctx.play(n.prompt, false, id)).outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
  ctx.path.push({ node: id, type: 'transfer', outcome: Object.keys(n.target)[0] });
  ctx.leaving({ kind: 'transfer' });
  await ctx.call.transfer(n.target);
  return { exit: { kind: 'transfer' } };
}

export async function hangup(id: string, n: Exit<'hangup'>, ctx: FlowContext): Promise<Step> {
  if ((await ctx.play(n.prompt, false, id)).outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
  ctx.path.push({ node: id, type: 'hangup' });
  ctx.leaving({ kind: 'hangup' });
  await ctx.call.hangup();
  return { exit: { kind: 'hangup' } };
}
