// The interpreter against a scripted caller (an in-memory IvrCall: what the caller types at each
// prompt, what they hear), and a real local HTTP server for lookups.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryEventBus, silentLogger } from '../kernel/index.ts';
import type { FlowDocument } from './flow-document.ts';
import { IvrInterpreter, MAX_STEPS } from './interpreter.ts';
import type { CollectOptions, CollectResult, IvrCall, PlayResult, QueueRequest, SpokenPrompt } from './ivr-call.ts';
import type { IvrEvents } from './ivr-events.ts';

/**
 * A caller who types, at each wait for keys, the next entry of `script` (null: nothing, so the
 * wait times out; 'hangup': they hang up). Keys typed while a barge-in prompt plays cut it short.
 */
class ScriptedCall implements IvrCall {
  readonly callId = 'call-1';
  readonly tenantId = 't1';
  readonly caller = '+8613800138000';
  readonly dialled = '8000';
  hungUp = false;
  readonly heard: SpokenPrompt[] = [];
  readonly exits: { kind: string; detail?: unknown }[] = [];
  readonly waits: CollectOptions[] = [];
  #buffer = '';
  #script: (string | null)[];

  constructor(script: (string | null)[]) {
    this.#script = [...script];
  }

  async play(prompts: SpokenPrompt[], _opts: { bargeIn: boolean }): Promise<PlayResult> {
    if (this.hungUp) return { outcome: 'hung-up', failures: [] };
    this.heard.push(...prompts);
    const failures = prompts.filter((p) => p.kind === 'recording' && p.id === 'missing').map(() => 'no uploaded prompt missing');
    return { outcome: 'finished', failures };
  }

  async collect(opts: CollectOptions): Promise<CollectResult> {
    this.waits.push(opts);
    const next = this.#script.shift();
    if (next === 'hangup') { this.hungUp = true; return { digits: '', ended: 'hung-up' }; }
    if (next) this.#buffer += next;
    let digits = this.#buffer;
    if (opts.terminator && digits.includes(opts.terminator)) {
      const i = digits.indexOf(opts.terminator);
      this.#buffer = digits.slice(i + 1);
      return { digits: digits.slice(0, i), ended: 'terminator' };
    }
    this.#buffer = digits.slice(opts.maxDigits);
    digits = digits.slice(0, opts.maxDigits);
    return { digits, ended: digits.length >= opts.maxDigits ? 'max' : 'timeout' };
  }

  clearDigits(): void { this.#buffer = ''; }
  async enqueue(r: QueueRequest): Promise<void> { this.exits.push({ kind: 'queue', detail: r }); }
  async transfer(target: unknown): Promise<void> { this.exits.push({ kind: 'transfer', detail: target }); }
  async voicemail(o: unknown): Promise<void> { this.exits.push({ kind: 'voicemail', detail: o }); }
  async requestCallback(o: unknown): Promise<void> { this.exits.push({ kind: 'callback', detail: o }); }
  async hangup(): Promise<void> { this.hungUp = true; this.exits.push({ kind: 'hangup' }); }

  said(): string[] {
    return this.heard.flatMap((p) => (p.kind === 'say' ? [`${p.language}:${p.text}`] : []));
  }
}

const say = (en: string, cmn?: string) => ({ say: { en, ...(cmn ? { cmn } : {}) } });

function interpreter(opts: { open?: boolean | undefined } = {}) {
  const bus = new MemoryEventBus<IvrEvents>();
  const events: { name: string; payload: unknown }[] = [];
  bus.subscribeAll((name, payload) => events.push({ name, payload }));
  let now = Date.UTC(2026, 11, 1, 2, 0, 0);
  const ivr = new IvrInterpreter({
    bus, log: silentLogger, now: () => (now += 10),
    hours: { isOpen: async (_t, id) => (id === 'gone' ? undefined : opts.open ?? true) },
  });
  return { ivr, events };
}

const run = (doc: FlowDocument, call: ScriptedCall, open?: boolean) => {
  const { ivr, events } = interpreter({ open });
  return ivr.run({ id: 'flow-1', version: 3, document: doc }, call).then((r) => ({ ...r, events }));
};

const MAIN: FlowDocument = {
  start: 'language',
  defaultLanguage: 'en',
  nodes: {
    language: { type: 'menu', prompt: [say('For English press 1.'), { say: { cmn: '普通话请按2。' } }], options: { 1: 'en', 2: 'zh' }, timeoutSeconds: 3, retries: 1, fallback: 'en' },
    en: { type: 'setLanguage', language: 'en', next: 'hours' },
    zh: { type: 'setLanguage', language: 'cmn', next: 'hours' },
    hours: { type: 'businessHours', calendarId: 'cal', open: 'main', closed: 'closed' },
    main: {
      type: 'menu', prompt: say('Sales 1, support 2.', '销售按1，支持按2。'), options: { 1: 'sales', 2: 'support' },
      invalidPrompt: say('Not an option.', '输入有误。'), noInputPrompt: say('Please choose.', '请选择。'), retries: 2, fallback: 'operator',
    },
    sales: { type: 'queue', queueId: 'q-sales', priority: 5, matchLanguage: true },
    support: { type: 'queue', queueId: 'q-support', skills: [{ skill: 'support', minProficiency: 2 }] },
    operator: { type: 'transfer', target: { extension: '1000' }, prompt: say('Connecting you to the operator.') },
    closed: { type: 'voicemail', prompt: say('We are closed. Leave a message.', '我们已下班，请留言。'), maxSeconds: 60 },
  },
};

describe('IVR interpreter', () => {
  test('menus route by key; the language chosen applies to later prompts and to the queue\'s language skill', async () => {
    const call = new ScriptedCall(['2', '1']);
    const r = await run(MAIN, call);
    assert.equal(r.exit.kind, 'queue');
    assert.equal(r.language, 'cmn');
    assert.deepEqual(call.exits, [{ kind: 'queue', detail: { queueId: 'q-sales', priority: 5, requirements: [{ skill: 'lang:cmn', minProficiency: 1 }], language: 'cmn', callbackKey: undefined } }]);
    assert.ok(call.said().includes('cmn:销售按1，支持按2。'), 'the main menu is spoken in Mandarin');
    assert.deepEqual(r.path.map((p) => [p.node, p.input ?? p.outcome]), [['language', '2'], ['zh', 'cmn'], ['hours', 'open'], ['main', '1'], ['sales', 'q-sales']]);
    assert.equal(call.waits[0]!.firstDigitTimeoutMs, 3000);
  });

  test('IvrEntered and IvrLeft are published with the flow, the exit and the path', async () => {
    const r = await run(MAIN, new ScriptedCall(['1', '2']));
    const names = r.events.map((e) => e.name);
    assert.deepEqual(names, ['IvrEntered', 'IvrLeft']);
    const left = r.events[1]!.payload as IvrEvents['IvrLeft'];
    assert.equal(left.exit, 'queue');
    assert.equal(left.queueId, 'q-support');
    assert.equal((r.events[0]!.payload as IvrEvents['IvrEntered']).flowVersion, 3);
  });

  test('a wrong key plays the invalid prompt and asks again; no key plays the no-input prompt; then the fallback', async () => {
    const call = new ScriptedCall(['1', '7', null, '5']);
    const r = await run(MAIN, call);
    assert.equal(r.exit.kind, 'transfer');
    const said = call.said();
    assert.equal(said.filter((s) => s === 'en:Sales 1, support 2.').length, 3, 'main menu spoken three times (1 + 2 retries)');
    assert.ok(said.includes('en:Not an option.'));
    assert.ok(said.includes('en:Please choose.'));
    assert.deepEqual(call.exits[0], { kind: 'transfer', detail: { extension: '1000' } });
    assert.equal(r.path.find((p) => p.node === 'main')?.outcome, 'fallback');
  });

  test('no key at the language menu takes its fallback (English)', async () => {
    const r = await run(MAIN, new ScriptedCall([null, null, '2']));
    assert.equal(r.language, 'en');
    assert.equal(r.exit.kind, 'queue');
  });

  test('closed hours take the closed branch (voicemail in the caller\'s language)', async () => {
    const call = new ScriptedCall(['2']);
    const r = await run(MAIN, call, false);
    assert.equal(r.exit.kind, 'voicemail');
    assert.ok(call.said().includes('cmn:我们已下班，请留言。'));
    assert.deepEqual(call.exits, [{ kind: 'voicemail', detail: { maxSeconds: 60, language: 'cmn' } }]);
  });

  test('a calendar deleted after publishing counts as open', async () => {
    const doc: FlowDocument = { ...MAIN, nodes: { ...MAIN.nodes, hours: { type: 'businessHours', calendarId: 'gone', open: 'main', closed: 'closed' } } };
    const r = await run(doc, new ScriptedCall(['1', '1']));
    assert.equal(r.exit.kind, 'queue');
  });

  test('the caller hanging up ends the run as caller-hung-up, with no exit', async () => {
    const call = new ScriptedCall(['hangup']);
    const r = await run(MAIN, call);
    assert.equal(r.exit.kind, 'caller-hung-up');
    assert.deepEqual(call.exits, []);
  });

  test('gather collects digits up to the terminator into a variable, which later prompts and branches read', async () => {
    const doc: FlowDocument = {
      start: 'account', defaultLanguage: 'en',
      nodes: {
        account: { type: 'gather', prompt: say('Your account number, then hash.'), variable: 'account', minDigits: 4, maxDigits: 10, terminator: '#', next: 'tier', fallback: 'bye' },
        tier: { type: 'setVariables', values: { tier: 'gold', greeting: 'Account {{account}} from {{caller}}' }, next: 'say' },
        say: { type: 'play', prompt: say('{{greeting}}, tier {{tier}}.'), next: 'check' },
        check: { type: 'branch', variable: 'tier', cases: { gold: 'vip', silver: 'bye' }, default: 'bye' },
        vip: { type: 'queue', queueId: 'q-vip', priority: 50 },
        bye: { type: 'hangup' },
      },
    };
    const call = new ScriptedCall(['1234#']);
    const r = await run(doc, call);
    assert.equal(r.exit.kind, 'queue');
    assert.equal(r.variables['account'], '1234');
    assert.ok(call.said().includes('en:Account 1234 from +8613800138000, tier gold.'));
    assert.equal(r.path.find((p) => p.node === 'account')?.outcome, '4 digits', 'the path records that digits came, not the digits');
  });

  test('gather with too few digits retries, then takes the fallback', async () => {
    const doc: FlowDocument = {
      start: 'pin', defaultLanguage: 'en',
      nodes: {
        pin: { type: 'gather', prompt: say('PIN'), variable: 'pin', minDigits: 4, maxDigits: 4, retries: 1, invalidPrompt: say('Too short.'), next: 'ok', fallback: 'bye' },
        ok: { type: 'hangup', prompt: say('ok') },
        bye: { type: 'hangup', prompt: say('bye') },
      },
    };
    const call = new ScriptedCall(['12', '3']);
    const r = await run(doc, call);
    assert.equal(r.exit.kind, 'hangup');
    assert.deepEqual(call.said(), ['en:PIN', 'en:Too short.', 'en:PIN', 'en:bye']);
  });

  test('a prompt that cannot be played takes the play node\'s fallback', async () => {
    const doc: FlowDocument = {
      start: 'greet', defaultLanguage: 'en',
      nodes: { greet: { type: 'play', prompt: { recording: 'missing' }, next: 'a', fallback: 'b' }, a: { type: 'hangup', prompt: say('a') }, b: { type: 'hangup', prompt: say('b') } },
    };
    const call = new ScriptedCall([]);
    await run(doc, call);
    assert.deepEqual(call.said(), ['en:b']);
  });

  test('a flow that loops without waiting for the caller is stopped after MAX_STEPS and hung up', async () => {
    const doc: FlowDocument = {
      start: 'a', defaultLanguage: 'en',
      nodes: { a: { type: 'setVariables', values: { x: '1' }, next: 'b' }, b: { type: 'branch', variable: 'x', cases: { 1: 'a' }, default: 'a' } },
    };
    const call = new ScriptedCall([]);
    const r = await run(doc, call);
    assert.equal(r.exit.kind, 'failed');
    assert.deepEqual(call.exits, [{ kind: 'hangup' }]);
    assert.ok(r.path.length >= MAX_STEPS - 1);
  });

  test('callback: the number defaults to the caller\'s, and the call is hung up after the request', async () => {
    const doc: FlowDocument = { start: 'cb', defaultLanguage: 'en', nodes: { cb: { type: 'callback', queueId: 'q1', prompt: say('We will call you back.') } } };
    const call = new ScriptedCall([]);
    const r = await run(doc, call);
    assert.equal(r.exit.kind, 'callback');
    assert.deepEqual(call.exits, [{ kind: 'callback', detail: { queueId: 'q1', number: '+8613800138000', language: 'en' } }, { kind: 'hangup' }]);
  });
});

describe('IVR HTTP lookups (a real local server)', () => {
  let server: Server;
  let base: string;
  const requests: { url: string; method: string; body: string; auth: string | undefined }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        requests.push({ url: req.url ?? '', method: req.method ?? '', body, auth: req.headers.authorization });
        if (req.url?.startsWith('/orders/')) {
          const id = decodeURIComponent(req.url.slice('/orders/'.length));
          if (id === '404') { res.writeHead(404).end(); return; }
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, status: 'shipped', eta: 'Tuesday' }));
          return;
        }
        if (req.url === '/slow') { setTimeout(() => res.writeHead(200).end('late'), 2000); return; }
        if (req.url === '/tier') { res.writeHead(200, { 'content-type': 'text/plain' }).end('gold'); return; }
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

  const lookupFlow = (url: string, extra: object = {}): FlowDocument => ({
    start: 'order', defaultLanguage: 'en',
    nodes: {
      order: { type: 'gather', prompt: say('Order number?'), variable: 'order', maxDigits: 6, terminator: '#', next: 'lookup', fallback: 'bye' },
      lookup: { type: 'httpLookup', url, variable: 'result', timeoutMs: 300, next: 'status', fallback: 'sorry', ...extra },
      status: { type: 'play', prompt: say('Order {{result.id}} is {{result.status}}, arriving {{result.eta}}.'), next: 'bye' },
      sorry: { type: 'play', prompt: say('We cannot check orders right now.'), next: 'bye' },
      bye: { type: 'hangup' },
    },
  });

  test('the answer is kept as JSON and read by later prompts; digits in the URL are percent-encoded', async () => {
    const call = new ScriptedCall(['42#']);
    await run(lookupFlow(`${base}/orders/{{order}}`), call);
    assert.ok(call.said().includes('en:Order 42 is shipped, arriving Tuesday.'));
    assert.equal(requests.at(-1)!.url, '/orders/42');
  });

  test('POST with templated headers and body', async () => {
    const call = new ScriptedCall(['7#']);
    const doc = lookupFlow(`${base}/tier`, { method: 'POST', headers: { Authorization: 'Bearer {{order}}-key' }, body: { caller: '{{caller}}', order: '{{order}}' }, variable: 'result' });
    doc.nodes['status'] = { type: 'play', prompt: say('Tier {{result}}.'), next: 'bye' };
    await run(doc, call);
    assert.ok(call.said().includes('en:Tier gold.'));
    const req = requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.auth, 'Bearer 7-key');
    assert.deepEqual(JSON.parse(req.body), { caller: '+8613800138000', order: '7' });
  });

  test('a status other than 2xx, a timeout, or a server that is down take the fallback branch', async () => {
    for (const url of [`${base}/orders/404`, `${base}/slow`, 'http://127.0.0.1:9/unreachable']) {
      const call = new ScriptedCall(['1#']);
      const r = await run(lookupFlow(url), call);
      assert.ok(call.said().includes('en:We cannot check orders right now.'), url);
      assert.equal(r.path.find((p) => p.node === 'lookup')?.outcome, 'failed');
    }
  });

  test('a cached answer is served without asking again', async () => {
    const before = requests.length;
    const { ivr } = interpreter();
    const flow = { id: 'f', version: 1, document: lookupFlow(`${base}/orders/{{order}}`, { cacheSeconds: 60 }) };
    for (let i = 0; i < 3; i++) {
      const call = new ScriptedCall(['99#']);
      await ivr.run(flow, call);
      assert.ok(call.said().includes('en:Order 99 is shipped, arriving Tuesday.'));
    }
    assert.equal(requests.length - before, 1);
  });
});
