// Recording retention: how many days call recordings and voicemails are kept; the retention job
// (src/quality) deletes older ones. Empty keeps recordings until someone deletes them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi } from './admin-api.ts';
import { Field, FormMessage, numberText, optionalNumber, useAdminErrorText, useFormError } from './admin-ui.tsx';

interface Retention { days: number | null; maxDays: number }
const PRESETS = [30, 90, 180, 365, 730] as const;
const RETENTION_FIELDS = ['days'] as const;

export function RetentionPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('customers.erase');
  const current = useLoad(() => adminApi<Retention>('GET', '/api/quality/recording-retention'));
  const [days, setDays] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const err = useFormError(RETENTION_FIELDS);
  useEffect(() => { if (current.data) setDays(numberText(current.data.days)); }, [current.data]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const r = await adminApi<Retention>('PUT', '/api/quality/recording-retention', { days: optionalNumber(days) });
      err.clear();
      setNotice({ kind: 'ok', text: r.days === null ? t('admin.retention.savedForever') : t('admin.retention.saved', { count: r.days }) });
      current.reload();
    } catch (ex) {
      err.set(ex);
    }
  };

  return (
    <section className="admin-page">
      <h1>{t('admin.retention.title')}</h1>
      <p className="admin-lead">{t('admin.retention.lead')}</p>
      <NoticeLine notice={notice ?? (current.error ? { kind: 'error', text: errorText(current.error) } : null)} />
      <form className="card form" noValidate data-testid="retention-form" onSubmit={(e) => void save(e)}>
        <p data-testid="retention-current">
          {current.data === undefined ? '' : current.data.days === null ? t('admin.retention.currentForever') : t('admin.retention.current', { count: current.data.days })}
        </p>
        <Field label={t('admin.retention.days')} name="days" error={err.at('days')} hint={t('admin.retention.daysHint', { max: current.data?.maxDays ?? 3650 })}>
          <input name="days" type="number" inputMode="numeric" disabled={!canWrite} value={days} onChange={(e) => setDays(e.target.value)} />
        </Field>
        {canWrite && (
          <div className="buttons admin-presets" role="group" aria-label={t('admin.retention.presets')}>
            {PRESETS.map((n) => <button key={n} type="button" className="secondary" onClick={() => setDays(String(n))}>{t('admin.retention.preset', { count: n })}</button>)}
            <button type="button" className="secondary" onClick={() => setDays('')}>{t('admin.retention.forever')}</button>
          </div>
        )}
        <FormMessage text={err.general} />
        {canWrite && <button type="submit" data-testid="save-retention">{t('users.save')}</button>}
      </form>
    </section>
  );
}
