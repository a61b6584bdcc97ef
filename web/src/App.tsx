// The app shell: login, then a navigation built from the user's permissions (checked again on the server).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setSessionEndedHandler, type Me } from './api.ts';
import { LanguageSelect } from './ui/LanguageSelect.tsx';
import { useLiveEvents } from './live-events.ts';
import { navigate, usePath } from './router.ts';
import { LoginPage } from './pages/LoginPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { AREAS, type NavItem } from './nav/nav-item.ts';
import { OPERATIONS_NAV } from './nav/operations.tsx';
import { ADMINISTRATION_NAV } from './nav/administration.tsx';

const NAV: NavItem[] = [
  { path: '/', label: 'nav.home', area: 'me', render: (me) => <HomePage me={me} /> },
  { path: '/account', label: 'nav.account', area: 'me', render: (me) => <AccountPage me={me} /> },
  ...OPERATIONS_NAV,
  ...ADMINISTRATION_NAV,
];

export function App() {
  const { t } = useTranslation();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    setSessionEndedHandler(() => setMe(null));
    api<Me>('GET', '/api/auth/me').then(setMe, () => setMe(null));
  }, []);
  if (me === undefined) return <p className="loading">{t('app.loading')}</p>;
  if (me === null) return <LoginPage onLoggedIn={setMe} />;
  return <Shell me={me} onLoggedOut={() => setMe(null)} />;
}

function Shell({ me, onLoggedOut }: { me: Me; onLoggedOut: () => void }) {
  const { t } = useTranslation();
  const path = usePath();
  const live = useLiveEvents(useCallback(onLoggedOut, [onLoggedOut]));
  const items = NAV.filter((n) => !n.permission || me.permissions.includes(n.permission));
  const current = items.find((n) => n.path === path) ?? items[0]!;
  const logout = async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    navigate('/');
    onLoggedOut();
  };
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">{t('app.name')}<small>{t('app.tagline')}</small></span>
        <span className="workspace" data-testid="workspace">{me.tenantName}</span>
        <span className={`live live-${live}`} data-testid="live-state">{live === 'open' ? t('app.live') : t('app.offline')}</span>
        <LanguageSelect />
        <span className="who" data-testid="current-user">{me.displayName}</span>
        <button type="button" onClick={() => void logout()} data-testid="logout">{t('nav.logout')}</button>
      </header>
      <nav className="sidenav" aria-label={t('nav.main')}>
        {AREAS.filter((a) => items.some((n) => n.area === a)).map((area) => (
          <div key={area} className="nav-area" data-testid={`area-${area}`}>
            <h3>{t(`nav.area.${area}`)}</h3>
            {items.filter((n) => n.area === area).map((n) => (
              <a key={n.path} href={n.path} className={n === current ? 'active' : ''} data-testid={`nav-${n.path.slice(1) || 'home'}`}
                onClick={(e) => { e.preventDefault(); navigate(n.path); }}>{t(n.label)}</a>
            ))}
          </div>
        ))}
      </nav>
      <main className="content">{current.render(me)}</main>
    </div>
  );
}
