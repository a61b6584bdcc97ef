// Uploaded prompts: WAV recordings flows play instead of text-to-speech (and queues as hold music).
// The server keeps them as 8 kHz mono WAV; each can be played here as callers will hear it.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me } from '../../api.ts';
import { formatTime, NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi, uploadWav, type Prompt } from './admin-api.ts';
import { Field, FormMessage, useAdminErrorText, useFormError } from './admin-ui.tsx';

const PROMPT_FIELDS = ['name', 'body'] as const;

export function PromptsPage({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('flows.manage');
  const prompts = useLoad(() => adminApi<{ items: Prompt[] }>('GET', '/api/prompts'));
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const err = useFormError(PROMPT_FIELDS, ['querystring']);

  const upload = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) { err.clear(); setNotice({ kind: 'error', text: t('admin.prompts.chooseFile') }); return; }
    setBusy(true);
    try {
      const p = await uploadWav<Prompt>(`/api/prompts?name=${encodeURIComponent(name.trim())}`, file);
      setNotice({ kind: 'ok', text: t('admin.prompts.uploaded', { name: p.name }) });
      setName('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      err.clear();
      prompts.reload();
    } catch (ex) {
      err.set(ex);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (p: Prompt) => {
    if (!confirm(t('admin.prompts.deleteConfirm', { name: p.name }))) return;
    try {
      await adminApi('DELETE', `/api/prompts/${p.id}`);
      setNotice({ kind: 'ok', text: t('admin.prompts.deleted', { name: p.name }) });
      prompts.reload();
    } catch (ex) {
      setNotice({ kind: 'error', text: errorText(ex) });
    }
  };

  return (
    <section className="admin-page">
      <h1>{t('admin.prompts.title')}</h1>
      <p className="admin-lead">{t('admin.prompts.lead')}</p>
      <NoticeLine notice={notice ?? (prompts.error ? { kind: 'error', text: errorText(prompts.error) } : null)} />
      {canWrite && (
        <form className="card form" noValidate data-testid="prompt-form" onSubmit={(e) => void upload(e)}>
          <h2>{t('admin.prompts.upload')}</h2>
          <div className="form inline">
            <Field label={t('admin.prompts.name')} name="name" error={err.at('name')} hint={t('admin.prompts.nameHint')}>
              <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label={t('admin.prompts.file')} name="body" error={err.at('body')} hint={t('admin.prompts.fileHint')}>
              <input ref={fileInput} name="file" type="file" accept=".wav,audio/wav,audio/x-wav,audio/wave"
                onChange={(e) => { const f = e.target.files?.[0] ?? null; setFile(f); if (f && !name.trim()) setName(f.name.replace(/\.wav$/i, '')); }} />
            </Field>
            <button type="submit" data-testid="upload-prompt" disabled={busy}>{busy ? t('admin.prompts.uploading') : t('admin.prompts.upload')}</button>
          </div>
          <FormMessage text={err.general} />
        </form>
      )}
      <table className="grid" data-testid="prompts-table">
        <thead><tr><th>{t('admin.prompts.name')}</th><th>{t('admin.prompts.length')}</th><th>{t('admin.prompts.size')}</th><th>{t('admin.prompts.uploadedAt')}</th><th>{t('admin.prompts.listen')}</th><th>{t('admin.prompts.id')}</th>{canWrite && <th>{t('common.actions')}</th>}</tr></thead>
        <tbody>
          {prompts.data?.items.length === 0 && <tr><td colSpan={7}>{t('admin.prompts.none')}</td></tr>}
          {prompts.data?.items.map((p) => (
            <tr key={p.id} data-testid={`prompt-row-${p.name}`}>
              <td>{p.name}</td>
              <td>{t('admin.prompts.seconds', { value: (p.durationMs / 1000).toFixed(1) })}</td>
              <td>{t('admin.prompts.kilobytes', { value: Math.ceil(p.bytes / 1024) })}</td>
              <td>{formatTime(p.createdAt, i18n.language)}</td>
              <td><audio controls preload="none" src={`/api/prompts/${p.id}/audio`} aria-label={t('admin.prompts.play', { name: p.name })} data-testid={`prompt-audio-${p.name}`} /></td>
              <td className="mono admin-id">{p.id}</td>
              {canWrite && <td className="actions"><button type="button" onClick={() => void remove(p)}>{t('teams.delete')}</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
