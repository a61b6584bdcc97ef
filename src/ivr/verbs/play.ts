// play: prompts in the caller's language, then on; a prompt that cannot be played (missing
// recording, speech engine down) is heard as a tone and, when the node has one, takes `fallback`.
import type { FlowNode } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';

export async function play(id: string, n: Extract<FlowNode, { type: 'play' }>, ctx: FlowContext): Promise<Step> {
  const r = await ctx.play(n.prompt, n.bargeIn ?? false, id);
  if (r.outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
  const failed = r.failures.length > 0 && n.fallback !== undefined;
  ctx.path.push({ node: id, type: 'play', ...(failed ? { outcome: 'failed' } : {}) });
  return { next: failed ? n.fallback! : n.next };
}
