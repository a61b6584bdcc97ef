// The agent and supervisor areas.
import type { NavItem } from './nav-item.ts';
import { AgentDesktopPage } from '../pages/agent/AgentDesktopPage.tsx';
import { HistoryPage } from '../pages/agent/HistoryPage.tsx';
import { AgentsPage } from '../pages/supervisor/AgentsPage.tsx';
import { WallboardPage } from '../pages/supervisor/WallboardPage.tsx';
import { RecordingsPage } from '../pages/supervisor/RecordingsPage.tsx';

export const OPERATIONS_NAV: NavItem[] = [
  { path: '/agent', label: 'desk.nav.desktop', area: 'agent', permission: 'agent.desktop', render: (me) => <AgentDesktopPage me={me} /> },
  { path: '/agent/history', label: 'desk.nav.history', area: 'agent', permission: 'agent.desktop', render: () => <HistoryPage /> },
  { path: '/supervisor', label: 'supervision.nav.agents', area: 'supervisor', permission: 'supervisor.monitor', render: (me) => <AgentsPage me={me} /> },
  { path: '/supervisor/wallboard', label: 'supervision.nav.wallboard', area: 'supervisor', permission: 'supervisor.monitor', render: () => <WallboardPage /> },
  { path: '/supervisor/recordings', label: 'supervision.nav.recordings', area: 'supervisor', permission: 'recordings.play', render: () => <RecordingsPage /> },
];
