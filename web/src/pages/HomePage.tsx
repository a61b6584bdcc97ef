import { useTranslation } from 'react-i18next';
import type { Me } from '../api.ts';

export function HomePage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <section>
      <h1 data-testid="welcome">{t('home.welcome', { name: me.displayName })}</h1>
      <p>{t('home.workspace', { name: me.tenantName })}</p>
      <h2>{t('home.roles')}</h2>
      <ul className="chips">{me.roles.map((r) => <li key={r}>{t(`roles.${r}`)}</li>)}</ul>
      <h2>{t('home.permissions')}</h2>
      <ul className="chips mono">{me.permissions.map((p) => <li key={p}>{p}</li>)}</ul>
      <h2>{t('home.channelsTitle')}</h2>
      <p>{t('home.channelsBody')}</p>
    </section>
  );
}
