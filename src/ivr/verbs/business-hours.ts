// businessHours: open or closed now, by the workspace calendar (its time zone and holidays). A
// calendar deleted after the flow was published counts as open, and is logged, so callers still
// reach the queue rather than a closed message nobody meant.
import type { FlowNode } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';

export async function businessHours(id: string, n: Extract<FlowNode, { type: 'businessHours' }>, ctx: FlowContext): Promise<Step> {
  let open: boolean | undefined;
  try {
    open = await ctx.deps.hours.isOpen(ctx.call.tenantId, n.calendarId, ctx.deps.now());
  } catch (err) {
    ctx.log.error({ err, node: id }, 'business hours could not be read; taking the open branch');
  }
  if (open === undefined) ctx.log.warn({ node: id, calendarId: n.calendarId }, 'calendar not found; taking the open branch');
  const isOpen = open ?? true;
  ctx.path.push({ node: id, type: 'businessHours', outcome: isOpen ? 'open' : 'closed' });
  return { next: isOpen ? n.open : n.closed };
}
