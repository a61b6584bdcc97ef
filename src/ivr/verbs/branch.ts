// branch: the case whose key equals the variable's value (as text), else `default`.
import type { FlowNode } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';
import { lookupPath } from '../templates.ts';

export function branch(id: string, n: Extract<FlowNode, { type: 'branch' }>, ctx: FlowContext): Step {
  const v = lookupPath(ctx.scope(), n.variable);
  const key = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const target = Object.hasOwn(n.cases, key) ? n.cases[key]! : n.default;
  ctx.path.push({ node: id, type: 'branch', outcome: Object.hasOwn(n.cases, key) ? key : 'default' });
  return { next: target };
}
