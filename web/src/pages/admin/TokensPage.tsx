// API tokens for integrations: the secret is shown once, right after creation. A token can hold
// only permissions its creator holds, so those are the ones offered.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiToken, type Me } from '../../api.ts';
import { formatTime, NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi } from './admin-api.ts';
import { Field, FormMessage, useAdminErrorText, useFormError } from './admin-ui.tsx';

const TOKEN_FIELDS = ['name', 'permissions'] as const;

export function TokensPage({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const errorText = useAdminErrorText();
  const tokens = useLoad(() => adminApi<{ items: ApiToken[] }>('GET', '/api/tokens'));
  const [name, setName] = useState('');
  const [perms, setPerms] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [copied, setCopied] = useState(false);
  const secretRef = useRef<HTMLElement>(null);
  const err = useFormError(TOKEN_FIELDS);
  const groups = [...new Set(me.permissions.map((p) => p.split('.')[0]!))];

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const created = await adminApi<ApiToken>('POST', '/api/tokens', { name: name.trim(), permissions: perms });
      setSecret(created.token ?? null);
      setCopied(false);
      setName('');
      setPerms([]);
      err.clear();
      setNotice(null);
      tokens.reload();
    } catch (ex) {
      err.set(ex);
    }
  };
  const revoke = async (tk: ApiToken) => {
    if (!confirm(t('admin.tokens.revokeConfirm', { name: tk.name }))) return;
    try {
      await adminApi('DELETE', `/api/tokens/${tk.id}`);
      setNotice({ kind: 'ok', text: t('admin.tokens.revoked', { name: tk.name }) });
      tokens.reload();
    } catch (ex) {
      setNotice({ kind: 'error', text: errorText(ex) });
    }
  };
  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // No clipboard (plain HTTP): select the text so the user can copy it themselves.
      const range = document.createRange();
      if (secretRef.current) range.selectNodeContents(secretRef.current);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    }
  };

  return (
    <section className="admin-page">
      <h1>{t('tokens.title')}</h1>
      <NoticeLine notice={notice ?? (tokens.error ? { kind: 'error', text: errorText(tokens.error) } : null)} />
      {secret && (
        <div className="card secret" data-testid="token-secret">
          <p>{t('tokens.secretOnce')}</p>
          <code ref={secretRef}>{secret}</code>
          <div className="buttons">
            <button type="button" onClick={() => void copy()}>{copied ? t('admin.tokens.copied') : t('admin.tokens.copy')}</button>
            <button type="button" className="secondary" onClick={() => setSecret(null)}>{t('common.close')}</button>
          </div>
        </div>
      )}
      <form className="card form" noValidate onSubmit={(e) => void create(e)} data-testid="token-form">
        <h2>{t('tokens.new')}</h2>
        <Field label={t('tokens.name')} name="name" error={err.at('name')}>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <fieldset>
          <legend>{t('tokens.permissions')}</legend>
          <p className="admin-hint">{t('admin.tokens.capped')}</p>
          {groups.map((g) => (
            <div key={g} className="admin-perm-group">
              {me.permissions.filter((p) => p.startsWith(`${g}.`)).map((p) => (
                <label key={p} className="check mono">
                  <input type="checkbox" checked={perms.includes(p)} onChange={() => setPerms(perms.includes(p) ? perms.filter((x) => x !== p) : [...perms, p])} />{p}
                </label>
              ))}
            </div>
          ))}
          {err.at('permissions') && <span className="admin-field-error" role="alert" data-testid="field-error-permissions">{err.at('permissions')}</span>}
        </fieldset>
        <FormMessage text={err.general} />
        <button type="submit">{t('tokens.create')}</button>
      </form>
      <table className="grid" data-testid="tokens-table">
        <thead><tr><th>{t('tokens.name')}</th><th>{t('tokens.permissions')}</th><th>{t('tokens.createdAt')}</th><th>{t('tokens.lastUsed')}</th><th>{t('common.actions')}</th></tr></thead>
        <tbody>
          {tokens.data?.items.length === 0 && <tr><td colSpan={5}>{t('tokens.none')}</td></tr>}
          {tokens.data?.items.map((tk) => (
            <tr key={tk.id} data-testid={`token-row-${tk.name}`}>
              <td>{tk.name}</td>
              <td className="mono">{tk.permissions.join(', ')}</td>
              <td>{formatTime(tk.createdAt, i18n.language)}</td>
              <td>{tk.lastUsedAt ? formatTime(tk.lastUsedAt, i18n.language) : t('tokens.never')}</td>
              <td className="actions"><button type="button" onClick={() => void revoke(tk)}>{t('tokens.revoke')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
