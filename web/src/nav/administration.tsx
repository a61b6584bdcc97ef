// The administration area: people, routing, the IVR, telephony, policies and the audit trail.
import type { NavItem } from './nav-item.ts';
import { UsersPage } from '../pages/admin/UsersPage.tsx';
import { TeamsPage } from '../pages/admin/TeamsPage.tsx';
import { SkillsPage } from '../pages/admin/SkillsPage.tsx';
import { QueuesPage } from '../pages/admin/QueuesPage.tsx';
import { FlowsPage } from '../pages/admin/flows/FlowsPage.tsx';
import { PromptsPage } from '../pages/admin/PromptsPage.tsx';
import { CalendarsPage } from '../pages/admin/CalendarsPage.tsx';
import { NumbersPage } from '../pages/admin/NumbersPage.tsx';
import { PhonesPage } from '../pages/admin/PhonesPage.tsx';
import { RetentionPage } from '../pages/admin/RetentionPage.tsx';
import { CustomerFieldsPage } from '../pages/admin/CustomerFieldsPage.tsx';
import { AuditPage } from '../pages/admin/AuditPage.tsx';
import { TokensPage } from '../pages/admin/TokensPage.tsx';

export const ADMINISTRATION_NAV: NavItem[] = [
  { path: '/users', label: 'nav.users', area: 'admin', permission: 'users.read', render: (me) => <UsersPage me={me} /> },
  { path: '/teams', label: 'nav.teams', area: 'admin', permission: 'teams.read', render: (me) => <TeamsPage me={me} /> },
  { path: '/skills', label: 'admin.nav.skills', area: 'admin', permission: 'agents.manage', render: (me) => <SkillsPage me={me} /> },
  { path: '/queues', label: 'admin.nav.queues', area: 'admin', permission: 'queues.read', render: (me) => <QueuesPage me={me} /> },
  { path: '/flows', label: 'admin.nav.flows', area: 'admin', permission: 'flows.read', render: (me) => <FlowsPage me={me} /> },
  { path: '/prompts', label: 'admin.nav.prompts', area: 'admin', permission: 'flows.read', render: (me) => <PromptsPage me={me} /> },
  { path: '/calendars', label: 'admin.nav.calendars', area: 'admin', permission: 'calendars.read', render: (me) => <CalendarsPage me={me} /> },
  { path: '/numbers', label: 'admin.nav.numbers', area: 'admin', permission: 'flows.read', render: (me) => <NumbersPage me={me} /> },
  { path: '/phones', label: 'nav.phones', area: 'admin', permission: 'phones.read', render: (me) => <PhonesPage me={me} /> },
  { path: '/retention', label: 'admin.nav.retention', area: 'admin', permission: 'interactions.read', render: (me) => <RetentionPage me={me} /> },
  { path: '/customer-fields', label: 'admin.nav.customerFields', area: 'admin', permission: 'customers.import', render: (me) => <CustomerFieldsPage me={me} /> },
  { path: '/audit', label: 'nav.audit', area: 'admin', permission: 'audit.read', render: () => <AuditPage /> },
  { path: '/tokens', label: 'nav.tokens', area: 'admin', permission: 'tokens.manage', render: (me) => <TokensPage me={me} /> },
];
