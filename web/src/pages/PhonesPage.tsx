// Telephony settings: phone endpoints (SIP accounts), the SIP domains that route here, and trunks.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me, type User } from '../api.ts';
import { NoticeLine, useErrorText, useLoad, type Notice } from '../ui/common.tsx';

interface Phone { id: string; username: string; displayName: string; userId: string | null; createdAt: string }
interface Trunk { id: string; name: string; host: string; port: number; transport: string; realm: string; username: string | null; callerId: string | null }

export function PhonesPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const canManage = me.permissions.includes('phones.manage');
  const canTrunks = me.permissions.includes('trunks.manage');
  const phones = useLoad(() => api<{ items: Phone[] }>('GET', '/api/phones'));
  const domains = useLoad(() => api<{ items: string[] }>('GET', '/api/sip/domains'));
  const users = useLoad(() => api<{ items: User[] }>('GET', '/api/users'));
  const trunks = useLoad(() => (canTrunks ? api<{ items: Trunk[] }>('GET', '/api/trunks') : Promise.resolve({ items: [] as Trunk[] })));
  const [notice, setNotice] = useState<Notice | null>(null);
  const [phone, setPhone] = useState({ username: '', displayName: '', password: '', userId: '' });
  const [domain, setDomain] = useState('');
  const [trunk, setTrunk] = useState({ name: '', host: '', port: '5060', realm: '', username: '', password: '' });
  const userName = (id: string | null) => (id ? users.data?.items.find((u) => u.id === id)?.displayName ?? '' : '');

  const run = async (action: () => Promise<unknown>, ok: string, after: () => void) => {
    try {
      await action();
      setNotice({ kind: 'ok', text: ok });
      after();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section>
      <h1>{t('phones.title')}</h1>
      <p>{t('phones.realm', { realm: me.tenantSlug })}</p>
      <NoticeLine notice={notice ?? (phones.error ? { kind: 'error', text: errorText(phones.error) } : null)} />
      {canManage && (
        <form className="card form inline" data-testid="phone-form" onSubmit={(e) => {
          e.preventDefault();
          void run(() => api('POST', '/api/phones', { username: phone.username.trim(), displayName: phone.displayName.trim(), password: phone.password, userId: phone.userId || null }),
            t('phones.created', { name: phone.username.trim() }), () => { setPhone({ username: '', displayName: '', password: '', userId: '' }); phones.reload(); });
        }}>
          <label>{t('phones.extension')}<input name="extension" required value={phone.username} onChange={(e) => setPhone({ ...phone, username: e.target.value })} /></label>
          <label>{t('users.displayName')}<input name="phoneName" required value={phone.displayName} onChange={(e) => setPhone({ ...phone, displayName: e.target.value })} /></label>
          <label>{t('phones.password')}<input name="phonePassword" type="password" autoComplete="new-password" required minLength={12} value={phone.password} onChange={(e) => setPhone({ ...phone, password: e.target.value })} /></label>
          <label>{t('phones.user')}
            <select name="phoneUser" value={phone.userId} onChange={(e) => setPhone({ ...phone, userId: e.target.value })}>
              <option value="">—</option>
              {users.data?.items.map((u) => <option key={u.id} value={u.id}>{u.displayName}</option>)}
            </select>
          </label>
          <button type="submit">{t('phones.create')}</button>
        </form>
      )}
      <table className="grid" data-testid="phones-table">
        <thead><tr><th>{t('phones.extension')}</th><th>{t('users.displayName')}</th><th>{t('phones.user')}</th>{canManage && <th>{t('common.actions')}</th>}</tr></thead>
        <tbody>
          {phones.data?.items.length === 0 && <tr><td colSpan={4}>{t('phones.none')}</td></tr>}
          {phones.data?.items.map((p) => (
            <tr key={p.id} data-testid={`phone-row-${p.username}`}>
              <td className="mono">{p.username}</td>
              <td>{p.displayName}</td>
              <td>{userName(p.userId)}</td>
              {canManage && (
                <td className="actions">
                  <button type="button" onClick={() => {
                    if (confirm(t('phones.deleteConfirm', { name: p.username }))) void run(() => api('DELETE', `/api/phones/${p.id}`), t('users.saved'), phones.reload);
                  }}>{t('teams.delete')}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('phones.domains')}</h2>
      <p>{domains.data?.items.length ? domains.data.items.join(', ') : t('phones.noDomains')}</p>
      {canManage && (
        <form className="form inline" onSubmit={(e) => {
          e.preventDefault();
          void run(() => api('POST', '/api/sip/domains', { domain: domain.trim() }), t('users.saved'), () => { setDomain(''); domains.reload(); });
        }}>
          <label>{t('phones.domain')}<input name="domain" required value={domain} onChange={(e) => setDomain(e.target.value)} /></label>
          <button type="submit">{t('phones.addDomain')}</button>
        </form>
      )}

      {canTrunks && (
        <>
          <h2>{t('phones.trunks')}</h2>
          <form className="card form inline" data-testid="trunk-form" onSubmit={(e) => {
            e.preventDefault();
            void run(() => api('POST', '/api/trunks', {
              name: trunk.name.trim(), host: trunk.host.trim(), port: Number(trunk.port), realm: trunk.realm.trim() || null,
              username: trunk.username.trim() || null, password: trunk.password || null,
            }), t('phones.trunkCreated', { name: trunk.name.trim() }), () => { setTrunk({ name: '', host: '', port: '5060', realm: '', username: '', password: '' }); trunks.reload(); });
          }}>
            <label>{t('teams.name')}<input name="trunkName" required value={trunk.name} onChange={(e) => setTrunk({ ...trunk, name: e.target.value })} /></label>
            <label>{t('phones.host')}<input name="trunkHost" required value={trunk.host} onChange={(e) => setTrunk({ ...trunk, host: e.target.value })} /></label>
            <label>{t('phones.port')}<input name="trunkPort" type="number" min={1} max={65535} required value={trunk.port} onChange={(e) => setTrunk({ ...trunk, port: e.target.value })} /></label>
            <label>{t('phones.trunkRealm')}<input name="trunkRealm" value={trunk.realm} onChange={(e) => setTrunk({ ...trunk, realm: e.target.value })} /></label>
            <label>{t('users.username')}<input name="trunkUser" value={trunk.username} onChange={(e) => setTrunk({ ...trunk, username: e.target.value })} /></label>
            <label>{t('users.password')}<input name="trunkPassword" type="password" autoComplete="new-password" value={trunk.password} onChange={(e) => setTrunk({ ...trunk, password: e.target.value })} /></label>
            <button type="submit">{t('phones.addTrunk')}</button>
          </form>
          <table className="grid" data-testid="trunks-table">
            <thead><tr><th>{t('teams.name')}</th><th>{t('phones.host')}</th><th>{t('phones.trunkRealm')}</th><th>{t('users.username')}</th><th>{t('common.actions')}</th></tr></thead>
            <tbody>
              {trunks.data?.items.length === 0 && <tr><td colSpan={5}>{t('phones.noTrunks')}</td></tr>}
              {trunks.data?.items.map((x) => (
                <tr key={x.id} data-testid={`trunk-row-${x.name}`}>
                  <td>{x.name}</td>
                  <td className="mono">{`${x.host}:${x.port} (${x.transport.toUpperCase()})`}</td>
                  <td className="mono">{x.realm}</td>
                  <td className="mono">{x.username ?? ''}</td>
                  <td className="actions"><button type="button" onClick={() => void run(() => api('DELETE', `/api/trunks/${x.id}`), t('users.saved'), trunks.reload)}>{t('teams.delete')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
