// The demo workspace's contact center, so a newcomer can call in from any SIP phone: number 8000
// answers with a bilingual (English / 普通话) flow: pick a language, hear whether the center is
// open, choose sales or support (each a queue that matches the caller's language to the agent's),
// or ask for a callback. Both demo agents speak English and Mandarin; 陳美玲 also Cantonese.
import type { Calendars } from '../calendar/index.ts';
import type { FlowDocument, Flows } from '../ivr/index.ts';
import type { RoutingEngine } from '../routing/index.ts';
import type { Numbers } from '../voice/index.ts';

export const DEMO_NUMBER = '8000';

export interface ContactCenterSeedDeps {
  calendars: Calendars;
  routing: RoutingEngine;
  flows: Flows;
  numbers: Numbers;
}

/** The demo flow, given the ids of what it names. */
export function demoFlow(ids: { calendarId: string; salesQueueId: string; supportQueueId: string }): FlowDocument {
  return {
    start: 'language',
    defaultLanguage: 'en',
    nodes: {
      language: {
        type: 'menu',
        prompt: [
          { say: { en: 'Welcome to the Switchboard demo contact center. For English, press 1.' } },
          { say: { cmn: '普通话服务请按2。' } },
        ],
        options: { 1: 'english', 2: 'mandarin' },
        timeoutSeconds: 4, retries: 1, fallback: 'english',
      },
      english: { type: 'setLanguage', language: 'en', next: 'hours' },
      mandarin: { type: 'setLanguage', language: 'cmn', next: 'hours' },
      hours: { type: 'businessHours', calendarId: ids.calendarId, open: 'main', closed: 'closed' },
      main: {
        type: 'menu',
        prompt: { say: { en: 'For sales, press 1. For support, press 2. To be called back, press 9.', cmn: '销售请按1，技术支持请按2，预约回电请按9。' } },
        options: { 1: 'sales', 2: 'support', 9: 'callback' },
        invalidPrompt: { say: { en: 'Sorry, that is not an option.', cmn: '对不起，您的输入有误。' } },
        timeoutSeconds: 5, retries: 2, fallback: 'support',
      },
      sales: { type: 'queue', queueId: ids.salesQueueId, matchLanguage: true, callbackKey: '9' },
      support: { type: 'queue', queueId: ids.supportQueueId, matchLanguage: true, callbackKey: '9' },
      callback: {
        type: 'callback', queueId: ids.supportQueueId,
        prompt: { say: { en: 'Thank you. An agent will call you back on this number. Goodbye.', cmn: '谢谢，座席将回拨您的号码。再见。' } },
      },
      closed: {
        type: 'play',
        prompt: { say: { en: 'We are closed now. Please leave a message after the tone.', cmn: '现在是非工作时间，请在提示音后留言。' } },
        next: 'voicemail',
      },
      voicemail: { type: 'voicemail', maxSeconds: 120 },
    },
  };
}

/** Creates the demo's calendar, queues, agent skills, flow and number. */
export async function seedContactCenter(d: ContactCenterSeedDeps, tenantId: string, agents: { agent1: string; agent2: string }): Promise<{ number: string; flowId: string }> {
  const everyDay = [{ start: '00:00', end: '24:00' }];
  const calendar = await d.calendars.create(tenantId, {
    name: 'Demo hours (always open; edit to try the after-hours message)',
    timeZone: 'Asia/Shanghai',
    weekly: { mon: everyDay, tue: everyDay, wed: everyDay, thu: everyDay, fri: everyDay, sat: everyDay, sun: everyDay },
  });
  const dispositions = ['Resolved', 'Follow-up needed', 'Escalated', 'Wrong number'];
  const sales = await d.routing.saveQueue(tenantId, { name: 'Sales', settings: { requirements: [{ skill: 'sales', minProficiency: 1 }], dispositions, priority: 10 } });
  const support = await d.routing.saveQueue(tenantId, {
    name: 'Support',
    settings: {
      requirements: [{ skill: 'support', minProficiency: 1 }], dispositions,
      // After a minute any agent who speaks the caller's language will do; after three, any agent.
      relaxation: [{ afterSeconds: 60, drop: ['support'] }, { afterSeconds: 180, drop: ['lang:en', 'lang:cmn', 'lang:yue'] }],
      maxWaitSeconds: 600, overflow: { kind: 'callback' },
    },
  });
  await d.routing.setProfile(tenantId, agents.agent1, { skills: { sales: 4, support: 3, 'lang:en': 4, 'lang:cmn': 5 } });
  await d.routing.setProfile(tenantId, agents.agent2, { skills: { sales: 2, support: 5, 'lang:en': 4, 'lang:cmn': 4, 'lang:yue': 5 } });
  const flow = await d.flows.create(tenantId, {
    name: 'Demo main menu', description: 'English / 普通话 demo flow on number 8000',
    document: demoFlow({ calendarId: calendar.id, salesQueueId: sales.id, supportQueueId: support.id }),
  });
  await d.flows.publish(tenantId, flow.id);
  await d.numbers.create(tenantId, { number: DEMO_NUMBER, label: 'Demo line', flowId: flow.id });
  return { number: DEMO_NUMBER, flowId: flow.id };
}
