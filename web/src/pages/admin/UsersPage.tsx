// Users of the workspace: list (with their phones), search, create, edit roles/teams/password,
// disable and enable. The server's message about a field is shown next to it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me, type Team, type User } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi, type Phone } from './admin-api.ts';
import { Field, FormMessage, useAdminErrorText, useFormError } from './admin-ui.tsx';

const ROLES = ['admin', 'supervisor', 'agent', 'auditor'] as const;

interface Draft { username: string; displayName: string; email: string; password: string; roles: string[]; teamIds: string[] }
const emptyDraft: Draft = { username: '', displayName: '', email: '', password: '', roles: ['agent'], teamIds: [] };

export function UsersPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('users.write');
  const canPhones = me.permissions.includes('phones.read');
  const users = useLoad(() => adminApi<{ items: User[] }>('GET', '/api/users'));
  const teams = useLoad(() => (me.permissions.includes('teams.read') ? adminApi<{ items: Team[] }>('GET', '/api/teams') : Promise.resolve({ items: [] as Team[] })));
  const phones = useLoad(() => (canPhones ? adminApi<{ items: Phone[] }>('GET', '/api/phones') : Promise.resolve({ items: [] as Phone[] })));
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [search, setSearch] = useState('');
  const teamName = (id: string) => teams.data?.items.find((x) => x.id === id)?.name ?? id;
  const phonesOf = (id: string) => (phones.data?.items ?? []).filter((p) => p.userId === id).map((p) => p.username);
  const q = search.trim().toLowerCase();
  const shown = (users.data?.items ?? []).filter((u) => !q || u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q) || (u.email ?? '').toLowerCase().includes(q));

  const setDisabled = async (u: User, disabled: boolean) => {
    try {
      await adminApi('POST', `/api/users/${u.id}/${disabled ? 'disable' : 'enable'}`);
      setNotice({ kind: 'ok', text: t('users.saved') });
      users.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section className="admin-page">
      <div className="page-head">
        <h1>{t('users.title')}</h1>
        {canWrite && <button type="button" data-testid="new-user" onClick={() => { setNotice(null); setEditing('new'); }}>{t('users.new')}</button>}
      </div>
      <NoticeLine notice={notice ?? (users.error ? { kind: 'error', text: errorText(users.error) } : null)} />
      {editing && (
        <UserForm
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? null : editing}
          teams={teams.data?.items ?? []}
          onDone={(text) => { setEditing(null); setNotice({ kind: 'ok', text }); users.reload(); teams.reload(); }}
          onCancel={() => setEditing(null)}
        />
      )}
      <div className="admin-toolbar">
        <label className="admin-search">
          <span>{t('admin.common.search')}</span>
          <input type="search" name="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('admin.users.searchHint')} />
        </label>
        <span className="admin-count">{t('admin.common.count', { count: shown.length })}</span>
      </div>
      <table className="grid" data-testid="users-table">
        <thead>
          <tr>
            <th>{t('users.username')}</th><th>{t('users.displayName')}</th><th>{t('users.roles')}</th><th>{t('users.teams')}</th>
            {canPhones && <th>{t('admin.users.phones')}</th>}
            <th>{t('users.twoFactor')}</th><th>{t('users.status')}</th>{canWrite && <th>{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {users.data && shown.length === 0 && <tr><td colSpan={8}>{t('users.none')}</td></tr>}
          {shown.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.username}`} className={u.disabled ? 'muted' : ''}>
              <td className="mono">{u.username}</td>
              <td>{u.displayName}</td>
              <td>{u.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
              <td>{u.teamIds.map(teamName).join(', ')}</td>
              {canPhones && <td className="mono" data-testid={`user-phones-${u.username}`}>{phonesOf(u.id).join(', ') || '—'}</td>}
              <td>{u.totpEnabled ? t('account.enabled') : t('account.disabledState')}</td>
              <td>{u.disabled ? t('users.disabled') : t('users.active')}</td>
              {canWrite && (
                <td className="actions">
                  <button type="button" onClick={() => { setNotice(null); setEditing(u); }}>{t('users.edit')}</button>
                  {u.id !== me.id && (
                    <button type="button" data-testid={`toggle-${u.username}`} onClick={() => void setDisabled(u, !u.disabled)}>
                      {u.disabled ? t('users.enable') : t('users.disable')}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const USER_FIELDS = ['username', 'displayName', 'email', 'password', 'roles', 'teamIds'] as const;

function UserForm({ user, teams, onDone, onCancel }: { user: User | null; teams: Team[]; onDone: (text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(user
    ? { username: user.username, displayName: user.displayName, email: user.email ?? '', password: '', roles: user.roles, teamIds: user.teamIds }
    : emptyDraft);
  const err = useFormError(USER_FIELDS);
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const email = d.email.trim() === '' ? null : d.email.trim();
    try {
      if (user) {
        await adminApi('PATCH', `/api/users/${user.id}`, {
          displayName: d.displayName, email, roles: d.roles, teamIds: d.teamIds, ...(d.password ? { password: d.password } : {}),
        });
        onDone(t('users.saved'));
      } else {
        await adminApi('POST', '/api/users', { username: d.username.trim(), displayName: d.displayName, email, password: d.password, roles: d.roles, teamIds: d.teamIds });
        onDone(t('users.created', { name: d.displayName }));
      }
    } catch (ex) {
      err.set(ex);
    }
  };

  return (
    <form className="card form" noValidate onSubmit={(e) => void submit(e)} data-testid="user-form" onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <h2>{user ? `${t('users.edit')}: ${user.username}` : t('users.new')}</h2>
      <div className="admin-grid-2">
        <Field label={t('users.username')} name="username" error={err.at('username')}>
          <input name="username" autoFocus={!user} disabled={!!user} value={d.username} onChange={(e) => setD({ ...d, username: e.target.value })} />
        </Field>
        <Field label={t('users.displayName')} name="displayName" error={err.at('displayName')}>
          <input name="displayName" autoFocus={!!user} value={d.displayName} onChange={(e) => setD({ ...d, displayName: e.target.value })} />
        </Field>
        <Field label={t('users.email')} name="email" error={err.at('email')}>
          <input name="email" type="email" value={d.email} onChange={(e) => setD({ ...d, email: e.target.value })} />
        </Field>
        <Field label={user ? t('users.newPassword') : t('users.password')} name="password" error={err.at('password')}>
          <input name="password" type="password" autoComplete="new-password" value={d.password} onChange={(e) => setD({ ...d, password: e.target.value })} />
        </Field>
      </div>
      <fieldset>
        <legend>{t('users.roles')}</legend>
        {ROLES.map((r) => (
          <label key={r} className="check"><input type="checkbox" name={`role-${r}`} checked={d.roles.includes(r)} onChange={() => setD({ ...d, roles: toggle(d.roles, r) })} />{t(`roles.${r}`)}</label>
        ))}
        {err.at('roles') && <span className="admin-field-error" role="alert" data-testid="field-error-roles">{err.at('roles')}</span>}
      </fieldset>
      {teams.length > 0 && (
        <fieldset>
          <legend>{t('users.teams')}</legend>
          {teams.map((tm) => (
            <label key={tm.id} className="check"><input type="checkbox" checked={d.teamIds.includes(tm.id)} onChange={() => setD({ ...d, teamIds: toggle(d.teamIds, tm.id) })} />{tm.name}</label>
          ))}
          {err.at('teamIds') && <span className="admin-field-error" role="alert" data-testid="field-error-teamIds">{err.at('teamIds')}</span>}
        </fieldset>
      )}
      <FormMessage text={err.general} />
      <div className="buttons">
        <button type="submit" data-testid="save-user">{user ? t('users.save') : t('users.create')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
