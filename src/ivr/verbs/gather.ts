// gather: several keys into a variable (an account or order number): up to maxDigits, ended early
// by the terminator key, or by a pause; fewer than minDigits is retried, then `fallback`.
import type { FlowNode } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';

export async function gather(id: string, n: Extract<FlowNode, { type: 'gather' }>, ctx: FlowContext): Promise<Step> {
  const attempts = 1 + (n.retries ?? 1);
  const min = n.minDigits ?? 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const played = await ctx.play(n.prompt, true, id);
    if (played.outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
    const got = await ctx.call.collect({
      maxDigits: n.maxDigits, terminator: n.terminator,
      firstDigitTimeoutMs: (n.timeoutSeconds ?? 5) * 1000, interDigitTimeoutMs: (n.interDigitSeconds ?? 3) * 1000,
    });
    if (got.ended === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
    if (got.digits.length >= min) {
      ctx.vars[n.variable] = got.digits;
      // The digits themselves may be an account number: the path records only that they came.
      ctx.path.push({ node: id, type: 'gather', outcome: `${got.digits.length} digits` });
      return { next: n.next };
    }
    ctx.call.clearDigits();
    if (attempt < attempts && n.invalidPrompt) {
      const again = await ctx.play(n.invalidPrompt, false, id);
      if (again.outcome === 'hung-up') return { exit: { kind: 'caller-hung-up' } };
    }
  }
  ctx.path.push({ node: id, type: 'gather', outcome: 'fallback' });
  return { next: n.fallback };
}
