// A template node of each verb, for the editor's palette: every required field filled with a
// sensible value of this workspace (its first queue and calendar, branches to a node that exists).

export const NODE_TYPES = [
  'play', 'menu', 'gather', 'setLanguage', 'businessHours', 'httpLookup', 'setVariables', 'branch', 'queue', 'voicemail', 'callback', 'transfer', 'hangup',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface TemplateContext { target: string; queueId: string; calendarId: string }

export function templateNode(type: NodeType, c: TemplateContext): Record<string, unknown> {
  switch (type) {
    case 'play': return { type, prompt: { say: { en: 'Thank you for calling.', cmn: '感谢您的来电。' } }, next: c.target };
    case 'menu': return { type, prompt: { say: { en: 'For sales, press 1.', cmn: '销售请按1。' } }, options: { 1: c.target }, timeoutSeconds: 5, retries: 2, fallback: c.target };
    case 'gather': return { type, prompt: { say: { en: 'Please enter your order number, then press the hash key.', cmn: '请输入订单号，以井号键结束。' } }, variable: 'order', maxDigits: 12, terminator: '#', next: c.target, fallback: c.target };
    case 'setLanguage': return { type, language: 'cmn', next: c.target };
    case 'businessHours': return { type, calendarId: c.calendarId, open: c.target, closed: c.target };
    case 'httpLookup': return { type, url: 'https://crm.example.com/lookup?number={{caller}}', variable: 'customer', timeoutMs: 2000, next: c.target, fallback: c.target };
    case 'setVariables': return { type, values: { topic: 'sales' }, next: c.target };
    case 'branch': return { type, variable: 'topic', cases: { sales: c.target }, default: c.target };
    case 'queue': return { type, queueId: c.queueId, matchLanguage: true };
    case 'voicemail': return { type, prompt: { say: { en: 'Please leave a message after the tone.', cmn: '请在提示音后留言。' } }, maxSeconds: 120 };
    case 'callback': return { type, queueId: c.queueId, prompt: { say: { en: 'We will call you back.', cmn: '我们会给您回电。' } } };
    case 'transfer': return { type, target: { extension: '1000' } };
    case 'hangup': return { type, prompt: { say: { en: 'Goodbye.', cmn: '再见。' } } };
  }
}

/** A node id not yet used: the verb, then a number. */
export function freshId(type: string, taken: readonly string[]): string {
  for (let n = 1; ; n++) if (!taken.includes(`${type}${n}`)) return `${type}${n}`;
}
