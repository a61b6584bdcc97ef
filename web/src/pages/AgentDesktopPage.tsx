// The agent area. Until a channel is connected it shows who the agent is and which teams they serve;
// offers, call controls and the customer panel arrive with the routing and channel work.
import { useTranslation } from 'react-i18next';
import type { Me } from '../api.ts';

export function AgentDesktopPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('desktop.title')}</h1>
      <dl className="facts">
        <dt>{t('users.displayName')}</dt><dd>{me.displayName}</dd>
        <dt>{t('users.teams')}</dt><dd data-testid="desktop-teams">{me.teams.length ? me.teams.map((x) => x.name).join(', ') : t('desktop.noTeams')}</dd>
      </dl>
      <p className="card" data-testid="desktop-empty">{t('desktop.noChannels')}</p>
    </section>
  );
}
