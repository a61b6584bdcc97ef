import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Me } from '../api.ts';
import { LanguageSelect } from '../ui/LanguageSelect.tsx';
import { NoticeLine, useErrorText, type Notice } from '../ui/common.tsx';

const WORKSPACE_KEY = 'sb.workspace';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (me: Me) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [tenant, setTenant] = useState(localStorage.getItem(WORKSPACE_KEY) ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    try {
      const me = await api<Me>('POST', '/api/auth/login', { tenant: tenant.trim(), username: username.trim(), password, ...(needTotp ? { totp } : {}) });
      localStorage.setItem(WORKSPACE_KEY, tenant.trim());
      onLoggedIn(me);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SB_AUTH_TOTP_REQUIRED') setNeedTotp(true);
      setNotice({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="card" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <h1>{t('login.title')}</h1>
        <label>{t('login.workspace')}<input name="tenant" autoComplete="organization" required value={tenant} onChange={(e) => setTenant(e.target.value)} /></label>
        <label>{t('login.username')}<input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} /></label>
        <label>{t('login.password')}<input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        {needTotp && (
          <label>{t('login.totp')}<input name="totp" inputMode="numeric" autoComplete="one-time-code" required value={totp} onChange={(e) => setTotp(e.target.value)} />
            <small>{t('login.totpHint')}</small></label>
        )}
        <NoticeLine notice={notice} />
        <button type="submit" disabled={busy}>{busy ? t('login.submitting') : t('login.submit')}</button>
        <LanguageSelect />
      </form>
    </div>
  );
}
