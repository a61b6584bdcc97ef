// The logged-in user's own settings: two-factor login (TOTP, RFC 6238).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../api.ts';
import { NoticeLine, useErrorText, type Notice } from '../ui/common.tsx';

export function AccountPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [enabled, setEnabled] = useState(me.totpEnabled);
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);

  const run = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section>
      <h1>{t('account.title')}</h1>
      <dl className="facts">
        <dt>{t('users.username')}</dt><dd className="mono">{me.username}</dd>
        <dt>{t('users.displayName')}</dt><dd>{me.displayName}</dd>
        <dt>{t('users.roles')}</dt><dd>{me.roles.map((r) => t(`roles.${r}`)).join(', ')}</dd>
        <dt>{t('account.twoFactor')}</dt><dd data-testid="totp-state">{enabled ? t('account.enabled') : t('account.disabledState')}</dd>
      </dl>
      <NoticeLine notice={notice} />
      {!enabled && !setup && (
        <button type="button" onClick={() => void run(async () => setSetup(await api('POST', '/api/auth/totp/setup')))}>{t('account.setup')}</button>
      )}
      {(setup || enabled) && (
        <form className="card form" onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api('POST', enabled ? '/api/auth/totp/disable' : '/api/auth/totp/enable', { code: code.trim() });
            setNotice({ kind: 'ok', text: enabled ? t('account.turnedOff') : t('account.turnedOn') });
            setEnabled(!enabled);
            setSetup(null);
            setCode('');
          });
        }}>
          {setup && !enabled && (<><p>{t('account.scan')}</p><code className="secret-code" data-testid="totp-secret">{setup.secret}</code></>)}
          <label>{t('account.code')}<input name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} /></label>
          <button type="submit">{enabled ? t('account.turnOff') : t('account.confirm')}</button>
        </form>
      )}
    </section>
  );
}
