// API tokens for integrations: the secret is shown once, right after creation.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiToken } from '../api.ts';
import { formatTime, NoticeLine, useErrorText, useLoad, type Notice } from '../ui/common.tsx';

const PERMISSIONS = ['users.read', 'users.write', 'teams.read', 'teams.write', 'roles.read', 'audit.read', 'tokens.manage', 'agent.desktop', 'supervisor.monitor'];

export function TokensPage() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const tokens = useLoad(() => api<{ items: ApiToken[] }>('GET', '/api/tokens'));
  const [name, setName] = useState('');
  const [perms, setPerms] = useState<string[]>(['users.read']);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const created = await api<ApiToken>('POST', '/api/tokens', { name: name.trim(), permissions: perms });
      setSecret(created.token ?? null);
      setName('');
      setNotice(null);
      tokens.reload();
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) });
    }
  };
  const revoke = async (id: string) => {
    try {
      await api('DELETE', `/api/tokens/${id}`);
      tokens.reload();
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) });
    }
  };

  return (
    <section>
      <h1>{t('tokens.title')}</h1>
      <NoticeLine notice={notice ?? (tokens.error ? { kind: 'error', text: errorText(tokens.error) } : null)} />
      {secret && (
        <div className="card secret" data-testid="token-secret">
          <p>{t('tokens.secretOnce')}</p>
          <code>{secret}</code>
          <button type="button" className="secondary" onClick={() => setSecret(null)}>{t('common.close')}</button>
        </div>
      )}
      <form className="card form" onSubmit={(e) => void create(e)} data-testid="token-form">
        <label>{t('tokens.name')}<input name="name" required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <fieldset>
          <legend>{t('tokens.permissions')}</legend>
          {PERMISSIONS.map((p) => (
            <label key={p} className="check mono">
              <input type="checkbox" checked={perms.includes(p)} onChange={() => setPerms(perms.includes(p) ? perms.filter((x) => x !== p) : [...perms, p])} />{p}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={perms.length === 0}>{t('tokens.create')}</button>
      </form>
      <table className="grid" data-testid="tokens-table">
        <thead><tr><th>{t('tokens.name')}</th><th>{t('tokens.permissions')}</th><th>{t('tokens.createdAt')}</th><th>{t('tokens.lastUsed')}</th><th>{t('common.actions')}</th></tr></thead>
        <tbody>
          {tokens.data?.items.length === 0 && <tr><td colSpan={5}>{t('tokens.none')}</td></tr>}
          {tokens.data?.items.map((tk) => (
            <tr key={tk.id}>
              <td>{tk.name}</td>
              <td className="mono">{tk.permissions.join(', ')}</td>
              <td>{formatTime(tk.createdAt, i18n.language)}</td>
              <td>{tk.lastUsedAt ? formatTime(tk.lastUsedAt, i18n.language) : t('tokens.never')}</td>
              <td className="actions"><button type="button" onClick={() => void revoke(tk.id)}>{t('tokens.revoke')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
