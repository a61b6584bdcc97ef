// setLanguage: the language later prompts are spoken in and, for a queue with matchLanguage, the
// language skill the agent needs.
import type { FlowNode } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';

export function setLanguage(id: string, n: Extract<FlowNode, { type: 'setLanguage' }>, ctx: FlowContext): Step {
  ctx.language = n.language;
  ctx.path.push({ node: id, type: 'setLanguage', input: n.language });
  return { next: n.next };
}
