// The agent and supervisor areas.
import type { NavItem } from './nav-item.ts';
import { AgentDesktopPage } from '../pages/agent/AgentDesktopPage.tsx';
import { HistoryPage } from '../pages/agent/HistoryPage.tsx';
import { AgentsPage } from '../pages/supervisor/AgentsPage.tsx';
import { WallboardPage } from '../pages/supervisor/WallboardPage.tsx';
import { RecordingsPage } from '../pages/supervisor/RecordingsPage.tsx';
import { ReportsPage } from '../pages/reports/ReportsPage.tsx';
import { StaffingPage } from '../pages/reports/StaffingPage.tsx';
import { KpiSettingsPage } from '../pages/reports/KpiSettingsPage.tsx';

export const OPERATIONS_NAV: NavItem[] = [
  { path: '/agent', label: 'desk.nav.desktop', area: 'agent', permission: 'agent.desktop', render: (me) => <AgentDesktopPage me={me} /> },
  { path: '/agent/history', label: 'desk.nav.history', area: 'agent', permission: 'agent.desktop', render: () => <HistoryPage /> },
  { path: '/supervisor', label: 'supervision.nav.agents', area: 'supervisor', permission: 'supervisor.monitor', render: (me) => <AgentsPage me={me} /> },
  { path: '/supervisor/wallboard', label: 'supervision.nav.wallboard', area: 'supervisor', permission: 'supervisor.monitor', render: () => <WallboardPage /> },
  { path: '/supervisor/recordings', label: 'supervision.nav.recordings', area: 'supervisor', permission: 'recordings.play', render: () => <RecordingsPage /> },
  { path: '/supervisor/reports', label: 'reports.nav.reports', area: 'supervisor', permission: 'reports.read', render: (me) => <ReportsPage me={me} /> },
  { path: '/supervisor/staffing', label: 'reports.nav.staffing', area: 'supervisor', permission: 'wfm.read', render: (me) => <StaffingPage me={me} /> },
  { path: '/supervisor/kpi-settings', label: 'reports.nav.settings', area: 'supervisor', permission: 'reports.manage', render: (me) => <KpiSettingsPage me={me} /> },
];
