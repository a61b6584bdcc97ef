// Customer settings: the default region for phone numbers typed without a country code, and the
// workspace's custom customer fields (text, number, date, select with options), saved as one set.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi, type CustomerField } from './admin-api.ts';
import { Field, FormMessage, useFormError } from './admin-ui.tsx';

const FIELD_TYPES = ['text', 'number', 'date', 'select'] as const;
/** Regions offered first; any ISO 3166-1 alpha-2 code may be typed. */
const REGIONS = ['CN', 'HK', 'MO', 'TW', 'SG', 'MY', 'US', 'GB', 'AU', 'CA', 'JP', 'KR'] as const;

interface Draft { key: string; label: string; type: string; options: string; required: boolean }

export function CustomerFieldsPage({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const canWrite = me.permissions.includes('customers.import');
  const fields = useLoad(() => adminApi<{ items: CustomerField[] }>('GET', '/api/crm/fields'));
  const settings = useLoad(() => adminApi<{ defaultRegion: string | null }>('GET', '/api/crm/settings'));
  const [region, setRegion] = useState('');
  const [rows, setRows] = useState<Draft[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const regionErr = useFormError(['defaultRegion']);
  const fieldErr = useFormError(['items', ...rows.flatMap((_, i) => ['key', 'label', 'type', 'options'].map((k) => `items.${i}.${k}`))]);
  useEffect(() => { if (settings.data) setRegion(settings.data.defaultRegion ?? ''); }, [settings.data]);
  useEffect(() => {
    if (fields.data) setRows(fields.data.items.map((f) => ({ key: f.key, label: f.label, type: f.type, options: f.options.join(', '), required: f.required })));
  }, [fields.data]);
  const regionName = (code: string) => { try { return new Intl.DisplayNames([i18n.language], { type: 'region' }).of(code) ?? code; } catch { return code; } };

  const saveRegion = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await adminApi('PUT', '/api/crm/settings', { defaultRegion: region.trim() === '' ? null : region.trim().toUpperCase() });
      regionErr.clear();
      setNotice({ kind: 'ok', text: t('admin.customerFields.regionSaved') });
      settings.reload();
    } catch (ex) {
      regionErr.set(ex);
    }
  };
  const saveFields = async (e: React.FormEvent) => {
    e.preventDefault();
    const items = rows.map((r) => ({
      key: r.key.trim(), label: r.label.trim(), type: r.type, required: r.required,
      ...(r.type === 'select' ? { options: r.options.split(/[,，]/).map((o) => o.trim()).filter(Boolean) } : {}),
    }));
    try {
      await adminApi('PUT', '/api/crm/fields', { items });
      fieldErr.clear();
      setNotice({ kind: 'ok', text: t('admin.customerFields.fieldsSaved', { count: items.length }) });
      fields.reload();
    } catch (ex) {
      fieldErr.set(ex);
    }
  };
  const setRow = (i: number, r: Draft) => setRows(rows.map((x, j) => (j === i ? r : x)));

  return (
    <section className="admin-page">
      <h1>{t('admin.customerFields.title')}</h1>
      <NoticeLine notice={notice} />
      <form className="card form" noValidate data-testid="region-form" onSubmit={(e) => void saveRegion(e)}>
        <h2>{t('admin.customerFields.regionTitle')}</h2>
        <p className="admin-hint">{t('admin.customerFields.regionLead')}</p>
        <div className="form inline">
          <Field label={t('admin.customerFields.region')} name="defaultRegion" error={regionErr.at('defaultRegion')}>
            <input name="defaultRegion" list="admin-regions" disabled={!canWrite} value={region} onChange={(e) => setRegion(e.target.value)} />
          </Field>
          <datalist id="admin-regions">{REGIONS.map((r) => <option key={r} value={r}>{regionName(r)}</option>)}</datalist>
          {canWrite && <button type="submit">{t('users.save')}</button>}
        </div>
        {region.trim().length === 2 && <p className="admin-hint">{regionName(region.trim().toUpperCase())}</p>}
        <FormMessage text={regionErr.general} />
      </form>
      <form className="card form" noValidate data-testid="fields-form" onSubmit={(e) => void saveFields(e)}>
        <h2>{t('admin.customerFields.fieldsTitle')}</h2>
        <p className="admin-hint">{t('admin.customerFields.fieldsLead')}</p>
        <table className="grid admin-fields-table">
          <thead><tr><th>{t('admin.customerFields.key')}</th><th>{t('admin.customerFields.label')}</th><th>{t('admin.customerFields.type')}</th><th>{t('admin.customerFields.options')}</th><th>{t('admin.customerFields.required')}</th>{canWrite && <th />}</tr></thead>
          <tbody>
            {rows.length === 0 && <tr><td colSpan={6}>{t('admin.customerFields.none')}</td></tr>}
            {rows.map((r, i) => (
              <tr key={i} data-testid="field-row">
                <td><Field label={t('admin.customerFields.key')} name={`items.${i}.key`} error={fieldErr.at(`items.${i}.key`)} className="admin-field-compact"><input name={`key-${i}`} className="mono" disabled={!canWrite} value={r.key} onChange={(e) => setRow(i, { ...r, key: e.target.value })} /></Field></td>
                <td><Field label={t('admin.customerFields.label')} name={`items.${i}.label`} error={fieldErr.at(`items.${i}.label`)} className="admin-field-compact"><input name={`label-${i}`} disabled={!canWrite} value={r.label} onChange={(e) => setRow(i, { ...r, label: e.target.value })} /></Field></td>
                <td>
                  <Field label={t('admin.customerFields.type')} name={`items.${i}.type`} error={fieldErr.at(`items.${i}.type`)} className="admin-field-compact">
                    <select name={`type-${i}`} disabled={!canWrite} value={r.type} onChange={(e) => setRow(i, { ...r, type: e.target.value })}>
                      {FIELD_TYPES.map((ty) => <option key={ty} value={ty}>{t(`admin.customerFields.types.${ty}`)}</option>)}
                    </select>
                  </Field>
                </td>
                <td>
                  <Field label={t('admin.customerFields.options')} name={`items.${i}.options`} error={fieldErr.at(`items.${i}.options`)} className="admin-field-compact">
                    <input name={`options-${i}`} disabled={!canWrite || r.type !== 'select'} placeholder={r.type === 'select' ? t('admin.customerFields.optionsHint') : ''} value={r.options} onChange={(e) => setRow(i, { ...r, options: e.target.value })} />
                  </Field>
                </td>
                <td><label className="check"><input type="checkbox" name={`required-${i}`} disabled={!canWrite} checked={r.required} onChange={(e) => setRow(i, { ...r, required: e.target.checked })} />{t('admin.customerFields.required')}</label></td>
                {canWrite && <td><button type="button" className="secondary" onClick={() => setRows(rows.filter((_, j) => j !== i))}>{t('admin.common.remove')}</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
        {fieldErr.at('items') && <span className="admin-field-error" role="alert" data-testid="field-error-items">{fieldErr.at('items')}</span>}
        <FormMessage text={fieldErr.general} />
        {canWrite && (
          <div className="buttons">
            <button type="button" className="secondary" data-testid="add-field" onClick={() => setRows([...rows, { key: '', label: '', type: 'text', options: '', required: false }])}>{t('admin.customerFields.addField')}</button>
            <button type="submit" data-testid="save-fields">{t('admin.customerFields.saveFields')}</button>
          </div>
        )}
      </form>
    </section>
  );
}
