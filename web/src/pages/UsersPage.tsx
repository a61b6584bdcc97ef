// Users of the workspace: list, create, edit roles/teams/password, disable and enable.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me, type Team, type User } from '../api.ts';
import { NoticeLine, useErrorText, useLoad, type Notice } from '../ui/common.tsx';

const ROLES = ['admin', 'supervisor', 'agent', 'auditor'] as const;

interface Draft { username: string; displayName: string; email: string; password: string; roles: string[]; teamIds: string[] }
const emptyDraft: Draft = { username: '', displayName: '', email: '', password: '', roles: ['agent'], teamIds: [] };

export function UsersPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const canWrite = me.permissions.includes('users.write');
  const users = useLoad(() => api<{ items: User[] }>('GET', '/api/users'));
  const teams = useLoad(() => api<{ items: Team[] }>('GET', '/api/teams'));
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const teamName = (id: string) => teams.data?.items.find((x) => x.id === id)?.name ?? id;

  const setDisabled = async (u: User, disabled: boolean) => {
    try {
      await api('POST', `/api/users/${u.id}/${disabled ? 'disable' : 'enable'}`);
      setNotice({ kind: 'ok', text: t('users.saved') });
      users.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section>
      <div className="page-head">
        <h1>{t('users.title')}</h1>
        {canWrite && <button type="button" data-testid="new-user" onClick={() => { setNotice(null); setEditing('new'); }}>{t('users.new')}</button>}
      </div>
      <NoticeLine notice={notice ?? (users.error ? { kind: 'error', text: errorText(users.error) } : null)} />
      {editing && (
        <UserForm
          user={editing === 'new' ? null : editing}
          teams={teams.data?.items ?? []}
          onDone={(text) => { setEditing(null); setNotice({ kind: 'ok', text }); users.reload(); teams.reload(); }}
          onCancel={() => setEditing(null)}
        />
      )}
      <table className="grid" data-testid="users-table">
        <thead>
          <tr>
            <th>{t('users.username')}</th><th>{t('users.displayName')}</th><th>{t('users.roles')}</th><th>{t('users.teams')}</th>
            <th>{t('users.status')}</th>{canWrite && <th>{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {users.data?.items.length === 0 && <tr><td colSpan={6}>{t('users.none')}</td></tr>}
          {users.data?.items.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.username}`} className={u.disabled ? 'muted' : ''}>
              <td className="mono">{u.username}</td>
              <td>{u.displayName}</td>
              <td>{u.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
              <td>{u.teamIds.map(teamName).join(', ')}</td>
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

function UserForm({ user, teams, onDone, onCancel }: { user: User | null; teams: Team[]; onDone: (text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [d, setD] = useState<Draft>(user
    ? { username: user.username, displayName: user.displayName, email: user.email ?? '', password: '', roles: user.roles, teamIds: user.teamIds }
    : emptyDraft);
  const [notice, setNotice] = useState<Notice | null>(null);
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const email = d.email.trim() === '' ? null : d.email.trim();
    try {
      if (user) {
        await api('PATCH', `/api/users/${user.id}`, {
          displayName: d.displayName, email, roles: d.roles, teamIds: d.teamIds, ...(d.password ? { password: d.password } : {}),
        });
        onDone(t('users.saved'));
      } else {
        await api('POST', '/api/users', { username: d.username.trim(), displayName: d.displayName, email, password: d.password, roles: d.roles, teamIds: d.teamIds });
        onDone(t('users.created', { name: d.displayName }));
      }
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) });
    }
  };

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="user-form">
      <h2>{user ? `${t('users.edit')}: ${user.username}` : t('users.new')}</h2>
      <label>{t('users.username')}<input name="username" required disabled={!!user} value={d.username} onChange={(e) => setD({ ...d, username: e.target.value })} /></label>
      <label>{t('users.displayName')}<input name="displayName" required value={d.displayName} onChange={(e) => setD({ ...d, displayName: e.target.value })} /></label>
      <label>{t('users.email')}<input name="email" type="email" value={d.email} onChange={(e) => setD({ ...d, email: e.target.value })} /></label>
      <label>{user ? t('users.newPassword') : t('users.password')}
        <input name="password" type="password" autoComplete="new-password" required={!user} value={d.password} onChange={(e) => setD({ ...d, password: e.target.value })} /></label>
      <fieldset>
        <legend>{t('users.roles')}</legend>
        {ROLES.map((r) => (
          <label key={r} className="check"><input type="checkbox" name={`role-${r}`} checked={d.roles.includes(r)} onChange={() => setD({ ...d, roles: toggle(d.roles, r) })} />{t(`roles.${r}`)}</label>
        ))}
      </fieldset>
      {teams.length > 0 && (
        <fieldset>
          <legend>{t('users.teams')}</legend>
          {teams.map((tm) => (
            <label key={tm.id} className="check"><input type="checkbox" checked={d.teamIds.includes(tm.id)} onChange={() => setD({ ...d, teamIds: toggle(d.teamIds, tm.id) })} />{tm.name}</label>
          ))}
        </fieldset>
      )}
      <NoticeLine notice={notice} />
      <div className="buttons">
        <button type="submit" data-testid="save-user">{user ? t('users.save') : t('users.create')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
