// The supervisor area: each team and its members with their account state. Live agent states and
// queue figures join this page with the routing engine.
import { useTranslation } from 'react-i18next';
import { api, type Team, type User } from '../api.ts';
import { NoticeLine, useErrorText, useLoad } from '../ui/common.tsx';

export function RosterPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const data = useLoad(async () => {
    const [teams, users] = await Promise.all([api<{ items: Team[] }>('GET', '/api/teams'), api<{ items: User[] }>('GET', '/api/users')]);
    return { teams: teams.items, users: users.items };
  });
  const byId = new Map((data.data?.users ?? []).map((u) => [u.id, u]));
  return (
    <section>
      <h1>{t('roster.title')}</h1>
      <NoticeLine notice={data.error ? { kind: 'error', text: errorText(data.error) } : null} />
      {data.data?.teams.length === 0 && <p>{t('teams.none')}</p>}
      {data.data?.teams.map((team) => (
        <div className="card" key={team.id} data-testid={`roster-${team.name}`}>
          <h2>{team.name} <small>({t('roster.members', { count: team.memberIds.length })})</small></h2>
          <table className="grid">
            <thead><tr><th>{t('users.displayName')}</th><th>{t('users.roles')}</th><th>{t('users.status')}</th></tr></thead>
            <tbody>
              {team.memberIds.map((id) => byId.get(id)).filter((u): u is User => !!u).map((u) => (
                <tr key={u.id} className={u.disabled ? 'muted' : ''}>
                  <td>{u.displayName}</td>
                  <td>{u.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
                  <td>{u.disabled ? t('users.disabled') : t('users.active')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
