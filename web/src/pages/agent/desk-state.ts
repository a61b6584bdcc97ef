// The agent desktop's state as live messages change it (pure): what an offer, a call, a wrap-up,
// a task or a state change on the socket does to what the page shows (docs/events.md, browser messages).
import type { CallView, DeskState, LiveMessage, OfferView, TaskOfferView, TaskView, WrapUpView } from './desk-api.ts';

/** "language 1 → main 2 → support": the nodes the caller went through with the menu keys they pressed. */
export function ivrText(path: OfferView['ivrPath']): string {
  return path.length ? path.map((s) => (s.input && s.type === 'menu' ? `${s.node} ${s.input}` : s.node)).join(' → ') : '—';
}

/** A live message applied to the desk's state; only what concerns this agent. */
export function applyMessage(d: DeskState, m: LiveMessage, me: string): DeskState {
  const w = d.work;
  const set = (work: Partial<DeskState['work']>) => ({ ...d, work: { ...w, ...work } });
  switch (m.type) {
    case 'agent.state':
      if (m['agentId'] !== me) return d;
      // A chosen state (Available, NotReady, Offline) is the pending choice applied; Busy and after-call work keep it waiting.
      return {
        ...d, agent: {
          state: String(m['state']), reason: (m['reason'] as string | null) ?? null, stateSince: String(m['since']),
          pending: ['Available', 'NotReady', 'Offline'].includes(String(m['state'])) ? null : d.agent.pending,
        },
      };
    case 'work.changed':
      return set(m['work'] as DeskState['work']);
    case 'tasks.changed':
      return set({ taskOffers: m['taskOffers'] as TaskOfferView[], tasks: m['tasks'] as TaskView[] });
    case 'offer.created':
      return set({ offer: m['offer'] as OfferView });
    case 'offer.ended':
      return w.offer?.offerId === m['offerId'] ? set({ offer: null }) : d;
    case 'call.connected': {
      const call = m['call'] as CallView;
      return set({ call, offer: w.offer?.contactId === call.contactId ? null : w.offer });
    }
    case 'call.held':
    case 'call.resumed': {
      const call = w.call;
      if (!call || call.callId !== m['callId']) return d;
      return set({ call: { ...call, held: m.type === 'call.held', heldSince: m.type === 'call.held' ? String(m['at']) : null } });
    }
    case 'call.transferred':
    case 'call.ended':
      return w.call?.callId === m['callId'] ? set({ call: null }) : d;
    case 'wrapup.started': {
      const wrapUp = m['wrapUp'] as WrapUpView;
      return set({ wrapUp, call: w.call?.callId === wrapUp.contactId ? null : w.call });
    }
    case 'wrapup.ended':
      return w.wrapUp?.contactId === m['contactId'] ? set({ wrapUp: null }) : d;
    default:
      return d;
  }
}
