// setVariables: named values (templates allowed) for later prompts, branches and lookups.
import type { FlowNode } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';
import { render } from '../templates.ts';

export function setVariables(id: string, n: Extract<FlowNode, { type: 'setVariables' }>, ctx: FlowContext): Step {
  const scope = ctx.scope();
  for (const [k, v] of Object.entries(n.values)) ctx.vars[k] = render(v, scope);
  ctx.path.push({ node: id, type: 'setVariables' });
  return { next: n.next };
}
