import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me, type Team, type User } from '../api.ts';
import { NoticeLine, useErrorText, useLoad, type Notice } from '../ui/common.tsx';

export function TeamsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const canWrite = me.permissions.includes('teams.write');
  const teams = useLoad(() => api<{ items: Team[] }>('GET', '/api/teams'));
  const users = useLoad(() => (me.permissions.includes('users.read') ? api<{ items: User[] }>('GET', '/api/users') : Promise.resolve({ items: [] as User[] })));
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const userName = (id: string) => users.data?.items.find((u) => u.id === id)?.displayName ?? id;

  const run = async (action: () => Promise<unknown>, ok: string) => {
    try {
      await action();
      setNotice({ kind: 'ok', text: ok });
      teams.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section>
      <h1>{t('teams.title')}</h1>
      <NoticeLine notice={notice ?? (teams.error ? { kind: 'error', text: errorText(teams.error) } : null)} />
      {canWrite && (
        <form className="card form inline" data-testid="team-form" onSubmit={(e) => {
          e.preventDefault();
          void run(() => api('POST', '/api/teams', { name: name.trim(), description: description.trim() || null }), t('teams.created', { name: name.trim() }))
            .then(() => { setName(''); setDescription(''); });
        }}>
          <label>{t('teams.name')}<input name="name" required value={name} onChange={(e) => setName(e.target.value)} /></label>
          <label>{t('teams.description')}<input name="description" value={description} onChange={(e) => setDescription(e.target.value)} /></label>
          <button type="submit">{t('teams.create')}</button>
        </form>
      )}
      <table className="grid" data-testid="teams-table">
        <thead><tr><th>{t('teams.name')}</th><th>{t('teams.description')}</th><th>{t('teams.members')}</th>{canWrite && <th>{t('common.actions')}</th>}</tr></thead>
        <tbody>
          {teams.data?.items.length === 0 && <tr><td colSpan={4}>{t('teams.none')}</td></tr>}
          {teams.data?.items.map((tm) => (
            <tr key={tm.id}>
              <td>{tm.name}</td>
              <td>{tm.description ?? ''}</td>
              <td>{tm.memberIds.map(userName).join(', ')}</td>
              {canWrite && (
                <td className="actions">
                  <button type="button" onClick={() => {
                    if (confirm(t('teams.deleteConfirm', { name: tm.name }))) void run(() => api('DELETE', `/api/teams/${tm.id}`), t('users.saved'));
                  }}>{t('teams.delete')}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
