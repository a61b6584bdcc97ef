// Numbers (DIDs) callers dial and the IVR flow that answers each, and what callers of a number
// this workspace does not have hear. Trunks to carriers are on the phones page.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me } from '../../api.ts';
import { navigate } from '../../router.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi, type DialledNumber, type Flow, type UnknownNumberTreatment } from './admin-api.ts';
import { Field, FormMessage, useAdminErrorText, useFormError } from './admin-ui.tsx';

const NUMBER_FIELDS = ['number', 'label', 'flowId'] as const;

export function NumbersPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('numbers.manage');
  const numbers = useLoad(() => adminApi<{ items: DialledNumber[] }>('GET', '/api/numbers'));
  const flows = useLoad(() => adminApi<{ items: Flow[] }>('GET', '/api/flows'));
  const unknown = useLoad(() => adminApi<UnknownNumberTreatment>('GET', '/api/voice/unknown-number'));
  const [draft, setDraft] = useState({ number: '', label: '', flowId: '' });
  const [treatment, setTreatment] = useState<UnknownNumberTreatment>({ status: 404, announce: true });
  const [notice, setNotice] = useState<Notice | null>(null);
  const err = useFormError(NUMBER_FIELDS);
  useEffect(() => { if (unknown.data) setTreatment(unknown.data); }, [unknown.data]);
  const flowName = (id: string | null) => (id ? flows.data?.items.find((f) => f.id === id)?.name ?? id : '—');

  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const n = await adminApi<DialledNumber>('POST', '/api/numbers', { number: draft.number.trim(), label: draft.label.trim() || null, flowId: draft.flowId || null });
      setDraft({ number: '', label: '', flowId: '' });
      err.clear();
      setNotice({ kind: 'ok', text: t('admin.numbers.added', { number: n.number }) });
      numbers.reload();
    } catch (ex) {
      err.set(ex);
    }
  };
  const change = async (n: DialledNumber, patch: { label?: string | null; flowId?: string | null }) => {
    try {
      await adminApi('PATCH', `/api/numbers/${n.id}`, patch);
      setNotice({ kind: 'ok', text: t('admin.numbers.changed', { number: n.number }) });
      numbers.reload();
    } catch (ex) {
      setNotice({ kind: 'error', text: errorText(ex) });
    }
  };
  const remove = async (n: DialledNumber) => {
    if (!confirm(t('admin.numbers.deleteConfirm', { number: n.number }))) return;
    try {
      await adminApi('DELETE', `/api/numbers/${n.id}`);
      setNotice({ kind: 'ok', text: t('admin.numbers.deleted', { number: n.number }) });
      numbers.reload();
    } catch (ex) {
      setNotice({ kind: 'error', text: errorText(ex) });
    }
  };
  const saveTreatment = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      setTreatment(await adminApi<UnknownNumberTreatment>('PUT', '/api/voice/unknown-number', treatment));
      setNotice({ kind: 'ok', text: t('admin.numbers.treatmentSaved') });
    } catch (ex) {
      setNotice({ kind: 'error', text: errorText(ex) });
    }
  };

  return (
    <section className="admin-page">
      <h1>{t('admin.numbers.title')}</h1>
      <p className="admin-lead">
        {t('admin.numbers.lead')}{' '}
        {me.permissions.includes('phones.read') && <a href="/phones" onClick={(e) => { e.preventDefault(); navigate('/phones'); }}>{t('admin.numbers.trunksLink')}</a>}
      </p>
      <NoticeLine notice={notice ?? (numbers.error ? { kind: 'error', text: errorText(numbers.error) } : null)} />
      {canWrite && (
        <form className="card form" noValidate data-testid="number-form" onSubmit={(e) => void add(e)}>
          <h2>{t('admin.numbers.add')}</h2>
          <div className="form inline">
            <Field label={t('admin.numbers.number')} name="number" error={err.at('number')} hint={t('admin.numbers.numberHint')}>
              <input name="number" inputMode="tel" value={draft.number} onChange={(e) => setDraft({ ...draft, number: e.target.value })} />
            </Field>
            <Field label={t('admin.numbers.label')} name="label" error={err.at('label')}>
              <input name="label" value={draft.label} onChange={(e) => setDraft({ ...draft, label: e.target.value })} />
            </Field>
            <Field label={t('admin.numbers.flow')} name="flowId" error={err.at('flowId')}>
              <select name="flowId" value={draft.flowId} onChange={(e) => setDraft({ ...draft, flowId: e.target.value })}>
                <option value="">{t('admin.numbers.noFlow')}</option>
                {flows.data?.items.map((f) => <option key={f.id} value={f.id}>{f.name}{f.publishedVersion === null ? ` (${t('admin.flows.draft')})` : ''}</option>)}
              </select>
            </Field>
            <button type="submit" data-testid="add-number">{t('admin.numbers.add')}</button>
          </div>
          <FormMessage text={err.general} />
        </form>
      )}
      <table className="grid" data-testid="numbers-table">
        <thead><tr><th>{t('admin.numbers.number')}</th><th>{t('admin.numbers.label')}</th><th>{t('admin.numbers.flow')}</th>{canWrite && <th>{t('common.actions')}</th>}</tr></thead>
        <tbody>
          {numbers.data?.items.length === 0 && <tr><td colSpan={4}>{t('admin.numbers.none')}</td></tr>}
          {numbers.data?.items.map((n) => (
            <tr key={n.id} data-testid={`number-row-${n.number}`}>
              <td className="mono">{n.number}</td>
              <td>{n.label ?? ''}</td>
              <td>
                {canWrite ? (
                  <select aria-label={t('admin.numbers.flowOf', { number: n.number })} data-testid={`number-flow-${n.number}`} value={n.flowId ?? ''} onChange={(e) => void change(n, { flowId: e.target.value || null })}>
                    <option value="">{t('admin.numbers.noFlow')}</option>
                    {flows.data?.items.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
                  </select>
                ) : flowName(n.flowId)}
              </td>
              {canWrite && <td className="actions"><button type="button" onClick={() => void remove(n)}>{t('teams.delete')}</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card form" data-testid="unknown-number-form" onSubmit={(e) => void saveTreatment(e)}>
        <h2>{t('admin.numbers.unknownTitle')}</h2>
        <p className="admin-hint">{t('admin.numbers.unknownLead')}</p>
        <fieldset className="admin-choices" disabled={!canWrite}>
          <label className="check"><input type="checkbox" name="announce" checked={treatment.announce} onChange={(e) => setTreatment({ ...treatment, announce: e.target.checked })} />{t('admin.numbers.announce')}</label>
          <label className="check"><input type="radio" name="status" checked={treatment.status === 404} onChange={() => setTreatment({ ...treatment, status: 404 })} />{t('admin.numbers.status404')}</label>
          <label className="check"><input type="radio" name="status" checked={treatment.status === 480} onChange={() => setTreatment({ ...treatment, status: 480 })} />{t('admin.numbers.status480')}</label>
        </fieldset>
        {canWrite && <button type="submit" data-testid="save-unknown-number">{t('users.save')}</button>}
      </form>
    </section>
  );
}
