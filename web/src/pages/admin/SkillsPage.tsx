// Agents' routing profiles: skills with a proficiency of 1 (learning) to 5 (expert), the languages
// they speak as the skills lang:en, lang:cmn, lang:yue (what an IVR's language matching asks for),
// and how many contacts of each channel they take at once. Any user with the agent role is listed,
// whether or not they have a profile yet.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me, type User } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi, type Agent, type Queue } from './admin-api.ts';
import { Field, FormMessage, requiredNumber, useAdminErrorText, useFormError } from './admin-ui.tsx';

export const LANGUAGE_SKILLS = ['lang:en', 'lang:cmn', 'lang:yue'] as const;
const LEVELS = [1, 2, 3, 4, 5] as const;
const CHANNELS = [
  { channel: 'voice', max: 1, label: 'admin.channels.voice' }, { channel: 'chat', max: 20, label: 'admin.channels.chat' },
  { channel: 'email', max: 50, label: 'admin.channels.email' }, { channel: 'message', max: 50, label: 'admin.channels.message' },
  // Tickets routed through the ACD, held alongside calls.
  { channel: 'task', max: 50, label: 'desk.tasks.channel' },
] as const;
const DEFAULT_CAPACITY: Record<string, number> = { voice: 1, chat: 0, email: 0, message: 0, task: 0 };

interface Row { user: User; agent: Agent | undefined }

export function SkillsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('agents.manage');
  const users = useLoad(() => adminApi<{ items: User[] }>('GET', '/api/users'));
  const agents = useLoad(() => adminApi<{ items: Agent[] }>('GET', '/api/agents'));
  const queues = useLoad(() => (me.permissions.includes('queues.read') ? adminApi<{ items: Queue[] }>('GET', '/api/queues') : Promise.resolve({ items: [] as Queue[] })));
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const rows: Row[] = (users.data?.items ?? [])
    .filter((u) => u.roles.includes('agent') || agents.data?.items.some((a) => a.id === u.id))
    .map((u) => ({ user: u, agent: agents.data?.items.find((a) => a.id === u.id) }));
  const known = [...new Set([
    ...(agents.data?.items ?? []).flatMap((a) => Object.keys(a.skills)),
    ...(queues.data?.items ?? []).flatMap((q) => q.settings.requirements.map((r) => r.skill)),
  ])].filter((s) => !s.startsWith('lang:')).sort();
  const error = users.error ?? agents.error;

  return (
    <section className="admin-page">
      <h1>{t('admin.skills.title')}</h1>
      <p className="admin-lead">{t('admin.skills.lead')}</p>
      <NoticeLine notice={notice ?? (error ? { kind: 'error', text: errorText(error) } : null)} />
      <datalist id="admin-known-skills">{known.map((s) => <option key={s} value={s} />)}</datalist>
      <table className="grid" data-testid="skills-table">
        <thead>
          <tr><th>{t('users.displayName')}</th><th>{t('admin.skills.languages')}</th><th>{t('admin.skills.skills')}</th><th>{t('admin.skills.capacity')}</th>{canWrite && <th>{t('common.actions')}</th>}</tr>
        </thead>
        <tbody>
          {users.data && rows.length === 0 && <tr><td colSpan={5}>{t('admin.skills.none')}</td></tr>}
          {rows.map(({ user, agent }) => (
            <tr key={user.id} data-testid={`agent-row-${user.username}`} className={user.disabled ? 'muted' : ''}>
              <td>{user.displayName}<br /><small className="mono">{user.username}</small></td>
              <td>
                <ul className="chips">
                  {LANGUAGE_SKILLS.filter((l) => agent?.skills[l]).map((l) => <li key={l} data-testid={`skill-${user.username}-${l}`}>{t(`admin.skills.language.${l.slice(5)}`)} · {agent!.skills[l]}</li>)}
                </ul>
              </td>
              <td>
                {agent ? (
                  <ul className="chips">
                    {Object.entries(agent.skills).filter(([s]) => !s.startsWith('lang:')).sort().map(([s, p]) => <li key={s} data-testid={`skill-${user.username}-${s}`}>{s} · {p}</li>)}
                  </ul>
                ) : <span className="admin-hint">{t('admin.skills.noProfile')}</span>}
              </td>
              <td className="mono">{CHANNELS.map(({ channel, label }) => `${t(label)} ${(agent?.capacity[channel] ?? DEFAULT_CAPACITY[channel])}`).join(' · ')}</td>
              {canWrite && (
                <td className="actions">
                  <button type="button" data-testid={`edit-skills-${user.username}`} aria-expanded={editing === user.id} onClick={() => { setNotice(null); setEditing(editing === user.id ? null : user.id); }}>{t('users.edit')}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (() => {
        const row = rows.find((r) => r.user.id === editing);
        return row ? (
          <ProfileForm key={editing} row={row} onCancel={() => setEditing(null)}
            onSaved={() => { setEditing(null); setNotice({ kind: 'ok', text: t('admin.skills.saved', { name: row.user.displayName }) }); agents.reload(); }} />
        ) : null;
      })()}
    </section>
  );
}

interface SkillRow { skill: string; level: number }

function ProfileForm({ row, onSaved, onCancel }: { row: Row; onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const skills = row.agent?.skills ?? {};
  const [languages, setLanguages] = useState<Record<string, number>>(Object.fromEntries(LANGUAGE_SKILLS.filter((l) => skills[l]).map((l) => [l, skills[l]!])));
  const [list, setList] = useState<SkillRow[]>(Object.entries(skills).filter(([s]) => !s.startsWith('lang:')).sort().map(([skill, level]) => ({ skill, level })));
  const [capacity, setCapacity] = useState<Record<string, string>>(Object.fromEntries(CHANNELS.map(({ channel }) => [channel, String(row.agent?.capacity[channel] ?? DEFAULT_CAPACITY[channel])])));
  const err = useFormError(['skills', 'capacity', ...CHANNELS.map(({ channel }) => `capacity.${channel}`)]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const body = {
      skills: { ...Object.fromEntries(list.filter((r) => r.skill.trim()).map((r) => [r.skill.trim(), r.level])), ...languages },
      capacity: Object.fromEntries(CHANNELS.map(({ channel }) => [channel, requiredNumber(capacity[channel] ?? '')])),
    };
    try {
      await adminApi('PUT', `/api/agents/${row.user.id}/profile`, body);
      onSaved();
    } catch (ex) {
      err.set(ex);
    }
  };
  const setRow = (i: number, r: SkillRow) => setList(list.map((x, j) => (j === i ? r : x)));

  return (
    <form className="card form" noValidate data-testid="profile-form" onSubmit={(e) => void save(e)} onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <h2>{t('admin.skills.editTitle', { name: row.user.displayName })}</h2>
      <fieldset>
        <legend>{t('admin.skills.languages')}</legend>
        {LANGUAGE_SKILLS.map((l) => (
          <div key={l} className="admin-row">
            <label className="check">
              <input type="checkbox" name={`speaks-${l}`} checked={languages[l] !== undefined}
                onChange={(e) => setLanguages(e.target.checked ? { ...languages, [l]: 3 } : Object.fromEntries(Object.entries(languages).filter(([k]) => k !== l)))} />
              {t(`admin.skills.language.${l.slice(5)}`)} <span className="mono admin-hint">{l}</span>
            </label>
            {languages[l] !== undefined && (
              <select aria-label={t('admin.skills.proficiencyOf', { skill: t(`admin.skills.language.${l.slice(5)}`) })} name={`level-${l}`} value={languages[l]}
                onChange={(e) => setLanguages({ ...languages, [l]: Number(e.target.value) })}>
                {LEVELS.map((n) => <option key={n} value={n}>{t(`admin.skills.level.${n}`)}</option>)}
              </select>
            )}
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('admin.skills.skills')}</legend>
        {list.length === 0 && <p className="admin-hint">{t('admin.skills.noSkills')}</p>}
        {list.map((r, i) => (
          <div key={i} className="admin-row" data-testid="skill-row">
            <input name={`skill-${i}`} list="admin-known-skills" aria-label={t('admin.skills.skill')} placeholder={t('admin.skills.skill')} value={r.skill} onChange={(e) => setRow(i, { ...r, skill: e.target.value })} />
            <select name={`skill-level-${i}`} aria-label={t('admin.skills.proficiencyOf', { skill: r.skill || t('admin.skills.skill') })} value={r.level} onChange={(e) => setRow(i, { ...r, level: Number(e.target.value) })}>
              {LEVELS.map((n) => <option key={n} value={n}>{t(`admin.skills.level.${n}`)}</option>)}
            </select>
            <button type="button" className="secondary" onClick={() => setList(list.filter((_, j) => j !== i))}>{t('admin.common.remove')}</button>
          </div>
        ))}
        <button type="button" className="secondary" data-testid="add-skill" onClick={() => setList([...list, { skill: '', level: 3 }])}>{t('admin.skills.addSkill')}</button>
        {err.at('skills') && <span className="admin-field-error" role="alert" data-testid="field-error-skills">{err.at('skills')}</span>}
      </fieldset>
      <fieldset>
        <legend>{t('admin.skills.capacity')}</legend>
        <div className="form inline">
          {CHANNELS.map(({ channel, max, label }) => (
            <Field key={channel} label={t(label)} name={`capacity.${channel}`} error={err.at(`capacity.${channel}`)} hint={t('admin.skills.capacityHint', { max })}>
              <input name={`capacity-${channel}`} type="number" inputMode="numeric" value={capacity[channel]} onChange={(e) => setCapacity({ ...capacity, [channel]: e.target.value })} />
            </Field>
          ))}
        </div>
      </fieldset>
      <FormMessage text={err.general} />
      <div className="buttons">
        <button type="submit" data-testid="save-profile">{t('users.save')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
