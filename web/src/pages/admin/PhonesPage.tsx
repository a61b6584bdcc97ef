// Telephony settings: phone endpoints (SIP accounts), the SIP domains that route here, and trunks.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me, type User } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi as api, type Phone, type Trunk } from './admin-api.ts';
import { Field, FormMessage, useAdminErrorText, useFormError } from './admin-ui.tsx';

const PHONE_FIELDS = ['username', 'displayName', 'password', 'userId'] as const;
const DOMAIN_FIELDS = ['domain'] as const;
const TRUNK_FIELDS = ['name', 'host', 'port', 'realm', 'username', 'password'] as const;

export function PhonesPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const phoneErr = useFormError(PHONE_FIELDS);
  const domainErr = useFormError(DOMAIN_FIELDS);
  const trunkErr = useFormError(TRUNK_FIELDS);
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

  const run = async (action: () => Promise<unknown>, ok: string, after: () => void, form?: ReturnType<typeof useFormError>) => {
    try {
      await action();
      form?.clear();
      setNotice({ kind: 'ok', text: ok });
      after();
    } catch (e) {
      if (form) form.set(e);
      else setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section className="admin-page">
      <h1>{t('phones.title')}</h1>
      <p>{t('phones.realm', { realm: me.tenantSlug })}</p>
      <NoticeLine notice={notice ?? (phones.error ? { kind: 'error', text: errorText(phones.error) } : null)} />
      {canManage && (
        <form className="card form inline" noValidate data-testid="phone-form" onSubmit={(e) => {
          e.preventDefault();
          void run(() => api('POST', '/api/phones', { username: phone.username.trim(), displayName: phone.displayName.trim(), password: phone.password, userId: phone.userId || null }),
            t('phones.created', { name: phone.username.trim() }), () => { setPhone({ username: '', displayName: '', password: '', userId: '' }); phones.reload(); }, phoneErr);
        }}>
          <Field label={t('phones.extension')} name="username" error={phoneErr.at('username')}><input name="extension" value={phone.username} onChange={(e) => setPhone({ ...phone, username: e.target.value })} /></Field>
          <Field label={t('users.displayName')} name="displayName" error={phoneErr.at('displayName')}><input name="phoneName" value={phone.displayName} onChange={(e) => setPhone({ ...phone, displayName: e.target.value })} /></Field>
          <Field label={t('phones.password')} name="password" error={phoneErr.at('password')}><input name="phonePassword" type="password" autoComplete="new-password" value={phone.password} onChange={(e) => setPhone({ ...phone, password: e.target.value })} /></Field>
          <Field label={t('phones.user')} name="userId" error={phoneErr.at('userId')}>
            <select name="phoneUser" value={phone.userId} onChange={(e) => setPhone({ ...phone, userId: e.target.value })}>
              <option value="">—</option>
              {users.data?.items.map((u) => <option key={u.id} value={u.id}>{u.displayName}</option>)}
            </select>
          </Field>
          <button type="submit">{t('phones.create')}</button>
          <FormMessage text={phoneErr.general} />
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
        <form className="form inline" noValidate data-testid="domain-form" onSubmit={(e) => {
          e.preventDefault();
          void run(() => api('POST', '/api/sip/domains', { domain: domain.trim() }), t('users.saved'), () => { setDomain(''); domains.reload(); }, domainErr);
        }}>
          <Field label={t('phones.domain')} name="domain" error={domainErr.at('domain')}><input name="domain" value={domain} onChange={(e) => setDomain(e.target.value)} /></Field>
          <button type="submit">{t('phones.addDomain')}</button>
          <FormMessage text={domainErr.general} />
        </form>
      )}

      {canTrunks && (
        <>
          <h2>{t('phones.trunks')}</h2>
          <form className="card form inline" noValidate data-testid="trunk-form" onSubmit={(e) => {
            e.preventDefault();
            void run(() => api('POST', '/api/trunks', {
              name: trunk.name.trim(), host: trunk.host.trim(), port: Number(trunk.port), realm: trunk.realm.trim() || null,
              username: trunk.username.trim() || null, password: trunk.password || null,
            }), t('phones.trunkCreated', { name: trunk.name.trim() }), () => { setTrunk({ name: '', host: '', port: '5060', realm: '', username: '', password: '' }); trunks.reload(); }, trunkErr);
          }}>
            <Field label={t('teams.name')} name="name" error={trunkErr.at('name')}><input name="trunkName" value={trunk.name} onChange={(e) => setTrunk({ ...trunk, name: e.target.value })} /></Field>
            <Field label={t('phones.host')} name="host" error={trunkErr.at('host')}><input name="trunkHost" value={trunk.host} onChange={(e) => setTrunk({ ...trunk, host: e.target.value })} /></Field>
            <Field label={t('phones.port')} name="port" error={trunkErr.at('port')}><input name="trunkPort" type="number" value={trunk.port} onChange={(e) => setTrunk({ ...trunk, port: e.target.value })} /></Field>
            <Field label={t('phones.trunkRealm')} name="realm" error={trunkErr.at('realm')}><input name="trunkRealm" value={trunk.realm} onChange={(e) => setTrunk({ ...trunk, realm: e.target.value })} /></Field>
            <Field label={t('users.username')} name="username" error={trunkErr.at('username')}><input name="trunkUser" value={trunk.username} onChange={(e) => setTrunk({ ...trunk, username: e.target.value })} /></Field>
            <Field label={t('users.password')} name="password" error={trunkErr.at('password')}><input name="trunkPassword" type="password" autoComplete="new-password" value={trunk.password} onChange={(e) => setTrunk({ ...trunk, password: e.target.value })} /></Field>
            <button type="submit">{t('phones.addTrunk')}</button>
            <FormMessage text={trunkErr.general} />
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
