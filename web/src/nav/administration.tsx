// The administration area.
import type { NavItem } from './nav-item.ts';
import { UsersPage } from '../pages/UsersPage.tsx';
import { TeamsPage } from '../pages/TeamsPage.tsx';
import { PhonesPage } from '../pages/PhonesPage.tsx';
import { AuditPage } from '../pages/AuditPage.tsx';
import { TokensPage } from '../pages/TokensPage.tsx';

export const ADMINISTRATION_NAV: NavItem[] = [
  { path: '/users', label: 'nav.users', area: 'admin', permission: 'users.read', render: (me) => <UsersPage me={me} /> },
  { path: '/teams', label: 'nav.teams', area: 'admin', permission: 'teams.read', render: (me) => <TeamsPage me={me} /> },
  { path: '/phones', label: 'nav.phones', area: 'admin', permission: 'phones.read', render: (me) => <PhonesPage me={me} /> },
  { path: '/audit', label: 'nav.audit', area: 'admin', permission: 'audit.read', render: () => <AuditPage /> },
  { path: '/tokens', label: 'nav.tokens', area: 'admin', permission: 'tokens.manage', render: () => <TokensPage /> },
];
