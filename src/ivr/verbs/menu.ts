// menu: one key chooses a branch. The prompt can be cut short by a key (barge-in). No key within
// the timeout, or a key with no branch, replays the prompt (after the no-input or invalid prompt)
// up to `retries` more times, then takes `fallback`.
import type { FlowNode } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';

export async function menu(id: string, n: Extract<FlowNode, { type: 'menu' }>, ctx: FlowContext): Promise<Step> {
  const attempts = 1 + (n.retries ?? 2);
  const timeoutMs = (n.timeoutSeconds ?? 5) * 1000;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const played = await ctx.play(n.prompt, true, id);
    if (played.outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
    const got = await ctx.call.collect({ maxDigits: 1, firstDigitTimeoutMs: timeoutMs, interDigitTimeoutMs: timeoutMs });
    if (got.ended === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
    const digit = got.digits;
    const branch = digit ? n.options[digit] : undefined;
    if (branch !== undefined) {
      ctx.path.push({ node: id, type: 'menu', input: digit });
      return { next: branch };
    }
    ctx.call.clearDigits();
    if (attempt < attempts) {
      const again = await ctx.play(digit ? n.invalidPrompt : n.noInputPrompt ?? n.invalidPrompt, false, id);
      if (again.outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
    }
  }
  ctx.path.push({ node: id, type: 'menu', outcome: 'fallback' });
  return { next: n.fallback };
}
