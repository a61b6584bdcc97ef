// The agent and supervisor areas.
import type { NavItem } from './nav-item.ts';
import { AgentDesktopPage } from '../pages/AgentDesktopPage.tsx';
import { RosterPage } from '../pages/RosterPage.tsx';

export const OPERATIONS_NAV: NavItem[] = [
  { path: '/agent', label: 'nav.desktop', area: 'agent', permission: 'agent.desktop', render: (me) => <AgentDesktopPage me={me} /> },
  { path: '/supervisor', label: 'nav.roster', area: 'supervisor', permission: 'supervisor.monitor', render: () => <RosterPage /> },
];
