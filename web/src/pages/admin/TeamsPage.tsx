// Teams of the workspace: create, rename or describe, delete; members are set on the users page.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me, type Team, type User } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi } from './admin-api.ts';
import { Field, FormMessage, useAdminErrorText, useFormError } from './admin-ui.tsx';

const TEAM_FIELDS = ['name', 'description'] as const;

export function TeamsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('teams.write');
  const teams = useLoad(() => adminApi<{ items: Team[] }>('GET', '/api/teams'));
  const users = useLoad(() => (me.permissions.includes('users.read') ? adminApi<{ items: User[] }>('GET', '/api/users') : Promise.resolve({ items: [] as User[] })));
  const [editing, setEditing] = useState<Team | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const err = useFormError(TEAM_FIELDS);
  const userName = (id: string) => users.data?.items.find((u) => u.id === id)?.displayName ?? id;

  const startEdit = (tm: Team | null) => {
    setEditing(tm);
    setName(tm?.name ?? '');
    setDescription(tm?.description ?? '');
    err.clear();
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const body = { name: name.trim(), description: description.trim() || null };
    try {
      if (editing) await adminApi('PATCH', `/api/teams/${editing.id}`, body);
      else await adminApi('POST', '/api/teams', body);
      setNotice({ kind: 'ok', text: editing ? t('users.saved') : t('teams.created', { name: body.name }) });
      startEdit(null);
      teams.reload();
    } catch (ex) {
      err.set(ex);
    }
  };
  const remove = async (tm: Team) => {
    if (!confirm(t('teams.deleteConfirm', { name: tm.name }))) return;
    try {
      await adminApi('DELETE', `/api/teams/${tm.id}`);
      setNotice({ kind: 'ok', text: t('users.saved') });
      teams.reload();
    } catch (ex) {
      setNotice({ kind: 'error', text: errorText(ex) });
    }
  };

  return (
    <section className="admin-page">
      <h1>{t('teams.title')}</h1>
      <NoticeLine notice={notice ?? (teams.error ? { kind: 'error', text: errorText(teams.error) } : null)} />
      {canWrite && (
        <form className="card form" noValidate data-testid="team-form" onSubmit={(e) => void save(e)}>
          <h2>{editing ? `${t('users.edit')}: ${editing.name}` : t('teams.new')}</h2>
          <div className="form inline">
            <Field label={t('teams.name')} name="name" error={err.at('name')}>
              <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label={t('teams.description')} name="description" error={err.at('description')}>
              <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
            </Field>
          </div>
          <FormMessage text={err.general} />
          <div className="buttons">
            <button type="submit">{editing ? t('users.save') : t('teams.create')}</button>
            {editing && <button type="button" className="secondary" onClick={() => startEdit(null)}>{t('common.cancel')}</button>}
          </div>
        </form>
      )}
      <table className="grid" data-testid="teams-table">
        <thead><tr><th>{t('teams.name')}</th><th>{t('teams.description')}</th><th>{t('teams.members')}</th>{canWrite && <th>{t('common.actions')}</th>}</tr></thead>
        <tbody>
          {teams.data?.items.length === 0 && <tr><td colSpan={4}>{t('teams.none')}</td></tr>}
          {teams.data?.items.map((tm) => (
            <tr key={tm.id} data-testid={`team-row-${tm.name}`}>
              <td>{tm.name}</td>
              <td>{tm.description ?? ''}</td>
              <td>{tm.memberIds.map(userName).join(', ')}</td>
              {canWrite && (
                <td className="actions">
                  <button type="button" onClick={() => startEdit(tm)}>{t('users.edit')}</button>
                  <button type="button" onClick={() => void remove(tm)}>{t('teams.delete')}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
