// ACD queues with every setting (src/routing/queue-settings.ts): priority and strategy, required
// skills and their relaxation over time, aging, the longest wait and where callers go after it,
// how long an offer rings, wrap-up, announcements, hold music, disposition codes and the
// service-level threshold reports use.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi, type Overflow, type Prompt, type Queue, type QueueSettings, type RelaxationStep, type SkillRequirement } from './admin-api.ts';
import { Field, FormMessage, numberText, optionalNumber, requiredNumber, useAdminErrorText, useFormError } from './admin-ui.tsx';
import { ListInput } from './ListInput.tsx';

const STRATEGIES = ['longest-idle', 'least-occupied', 'round-robin'] as const;
const OVERFLOW_KINDS = ['none', 'queue', 'voicemail', 'callback', 'hangup'] as const;
const LEVELS = [1, 2, 3, 4, 5] as const;

export function QueuesPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('queues.manage');
  const queues = useLoad(() => adminApi<{ items: Queue[] }>('GET', '/api/queues'));
  const prompts = useLoad(() => (me.permissions.includes('flows.read') ? adminApi<{ items: Prompt[] }>('GET', '/api/prompts') : Promise.resolve({ items: [] as Prompt[] })));
  const [editing, setEditing] = useState<Queue | 'new' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const all = queues.data?.items ?? [];
  const queueName = (id: string) => all.find((q) => q.id === id)?.name ?? id;

  const remove = async (q: Queue) => {
    if (!confirm(t('admin.queues.deleteConfirm', { name: q.name }))) return;
    try {
      await adminApi('DELETE', `/api/queues/${q.id}`);
      setNotice({ kind: 'ok', text: t('admin.queues.deleted', { name: q.name }) });
      queues.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };
  const overflowText = (o: Overflow | null) => (o === null ? '—' : o.kind === 'queue' ? `${t('admin.queues.overflow.queue')}: ${queueName(o.queueId)}` : t(`admin.queues.overflow.${o.kind}`));

  return (
    <section className="admin-page">
      <div className="page-head">
        <h1>{t('admin.queues.title')}</h1>
        {canWrite && <button type="button" data-testid="new-queue" onClick={() => { setNotice(null); setEditing('new'); }}>{t('admin.queues.new')}</button>}
      </div>
      <NoticeLine notice={notice ?? (queues.error ? { kind: 'error', text: errorText(queues.error) } : null)} />
      {editing && (
        <QueueForm key={editing === 'new' ? 'new' : editing.id} queue={editing === 'new' ? null : editing} queues={all} prompts={prompts.data?.items ?? []}
          onCancel={() => setEditing(null)}
          onSaved={(q) => { setEditing(null); setNotice({ kind: 'ok', text: t('admin.queues.saved', { name: q.name }) }); queues.reload(); }} />
      )}
      <table className="grid" data-testid="queues-table">
        <thead>
          <tr>
            <th>{t('admin.queues.name')}</th><th>{t('admin.queues.priority')}</th><th>{t('admin.queues.strategy')}</th><th>{t('admin.queues.requirements')}</th>
            <th>{t('admin.queues.overflowAfter')}</th><th>{t('admin.queues.dispositions')}</th><th>{t('admin.queues.waiting')}</th>{canWrite && <th>{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {queues.data && all.length === 0 && <tr><td colSpan={8}>{t('admin.queues.none')}</td></tr>}
          {all.map((q) => (
            <tr key={q.id} data-testid={`queue-row-${q.name}`}>
              <td>{q.name}</td>
              <td>{q.settings.priority}</td>
              <td>{t(`admin.queues.strategies.${q.settings.strategy}`)}</td>
              <td className="mono">{q.settings.requirements.map((r) => `${r.skill} ≥ ${r.minProficiency}`).join(', ') || '—'}</td>
              <td>{q.settings.maxWaitSeconds === null ? '—' : `${t('admin.common.seconds', { count: q.settings.maxWaitSeconds })} → ${overflowText(q.settings.overflow ?? { kind: 'hangup' })}`}</td>
              <td data-testid={`queue-dispositions-${q.name}`}>{q.settings.dispositions.join(', ') || '—'}</td>
              <td>{q.stats.waiting}</td>
              {canWrite && (
                <td className="actions">
                  <button type="button" onClick={() => { setNotice(null); setEditing(q); }}>{t('users.edit')}</button>
                  <button type="button" onClick={() => void remove(q)}>{t('teams.delete')}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface Draft {
  name: string; priority: string; strategy: string; requirements: SkillRequirement[]; relaxation: { afterSeconds: string; drop: string; lower: SkillRequirement[] }[];
  aging: string; maxWait: string; overflowKind: string; overflowQueue: string; offerTimeout: string; wrapUp: string; announceEvery: string;
  holdMusic: string; dispositions: string[]; serviceLevel: string;
}

const DEFAULTS: QueueSettings = {
  priority: 0, strategy: 'longest-idle', requirements: [], relaxation: [], agingSecondsPerLevel: null, maxWaitSeconds: null, overflow: null,
  offerTimeoutSeconds: 20, wrapUpSeconds: 10, announceEverySeconds: 30, holdMusicPromptId: null, dispositions: [], serviceLevelSeconds: 20,
};

function draftOf(q: Queue | null): Draft {
  const s = q?.settings ?? DEFAULTS;
  return {
    name: q?.name ?? '', priority: String(s.priority), strategy: s.strategy, requirements: s.requirements.map((r) => ({ ...r })),
    relaxation: s.relaxation.map((r) => ({ afterSeconds: String(r.afterSeconds), drop: (r.drop ?? []).join(', '), lower: (r.lower ?? []).map((l) => ({ ...l })) })),
    aging: numberText(s.agingSecondsPerLevel), maxWait: numberText(s.maxWaitSeconds), overflowKind: s.overflow?.kind ?? 'none',
    overflowQueue: s.overflow?.kind === 'queue' ? s.overflow.queueId : '', offerTimeout: String(s.offerTimeoutSeconds), wrapUp: String(s.wrapUpSeconds),
    announceEvery: numberText(s.announceEverySeconds), holdMusic: s.holdMusicPromptId ?? '', dispositions: [...s.dispositions], serviceLevel: String(s.serviceLevelSeconds),
  };
}

function settingsOf(d: Draft): QueueSettings {
  const overflow: Overflow | null = d.overflowKind === 'none' ? null
    : d.overflowKind === 'queue' ? { kind: 'queue', queueId: d.overflowQueue } : { kind: d.overflowKind as 'voicemail' | 'callback' | 'hangup' };
  return {
    priority: requiredNumber(d.priority), strategy: d.strategy,
    requirements: d.requirements.filter((r) => r.skill.trim()).map((r) => ({ skill: r.skill.trim(), minProficiency: r.minProficiency })),
    relaxation: d.relaxation.map((r): RelaxationStep => {
      const drop = r.drop.split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean);
      const lower = r.lower.filter((l) => l.skill.trim()).map((l) => ({ skill: l.skill.trim(), minProficiency: l.minProficiency }));
      return { afterSeconds: requiredNumber(r.afterSeconds), ...(drop.length ? { drop } : {}), ...(lower.length ? { lower } : {}) };
    }),
    agingSecondsPerLevel: optionalNumber(d.aging), maxWaitSeconds: optionalNumber(d.maxWait), overflow,
    offerTimeoutSeconds: requiredNumber(d.offerTimeout), wrapUpSeconds: requiredNumber(d.wrapUp), announceEverySeconds: optionalNumber(d.announceEvery),
    holdMusicPromptId: d.holdMusic || null, dispositions: d.dispositions, serviceLevelSeconds: requiredNumber(d.serviceLevel),
  };
}

const QUEUE_FIELDS = [
  'name', 'priority', 'strategy', 'requirements', 'relaxation', 'agingSecondsPerLevel', 'maxWaitSeconds', 'overflow', 'offerTimeoutSeconds',
  'wrapUpSeconds', 'announceEverySeconds', 'holdMusicPromptId', 'dispositions', 'serviceLevelSeconds',
] as const;

function RequirementRows({ rows, onChange, name }: { rows: SkillRequirement[]; onChange: (rows: SkillRequirement[]) => void; name: string }) {
  const { t } = useTranslation();
  return (
    <div className="admin-rows" data-testid={`rows-${name}`}>
      {rows.map((r, i) => (
        <div key={i} className="admin-row">
          <input name={`${name}-skill-${i}`} aria-label={t('admin.skills.skill')} placeholder={t('admin.skills.skill')} list="admin-queue-skills" value={r.skill}
            onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, skill: e.target.value } : x)))} />
          <select name={`${name}-min-${i}`} aria-label={t('admin.queues.minProficiency')} value={r.minProficiency}
            onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, minProficiency: Number(e.target.value) } : x)))}>
            {LEVELS.map((n) => <option key={n} value={n}>≥ {n}</option>)}
          </select>
          <button type="button" className="secondary" onClick={() => onChange(rows.filter((_, j) => j !== i))}>{t('admin.common.remove')}</button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...rows, { skill: '', minProficiency: 1 }])}>{t('admin.queues.addRequirement')}</button>
    </div>
  );
}

function QueueForm({ queue, queues, prompts, onSaved, onCancel }: { queue: Queue | null; queues: Queue[]; prompts: Prompt[]; onSaved: (q: Queue) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(() => draftOf(queue));
  const err = useFormError(QUEUE_FIELDS, ['settings']);
  const set = (patch: Partial<Draft>) => setD({ ...d, ...patch });
  const skills = [...new Set([...queues.flatMap((q) => q.settings.requirements.map((r) => r.skill)), 'lang:en', 'lang:cmn', 'lang:yue'])].sort();

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const body = { name: d.name.trim(), settings: settingsOf(d) };
      const saved = queue ? await adminApi<Queue>('PATCH', `/api/queues/${queue.id}`, body) : await adminApi<Queue>('POST', '/api/queues', body);
      onSaved(saved);
    } catch (ex) {
      err.set(ex);
    }
  };

  return (
    <form className="card form admin-queue-form" noValidate data-testid="queue-form" onSubmit={(e) => void save(e)} onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <h2>{queue ? t('admin.queues.editTitle', { name: queue.name }) : t('admin.queues.new')}</h2>
      <datalist id="admin-queue-skills">{skills.map((s) => <option key={s} value={s} />)}</datalist>
      <fieldset>
        <legend>{t('admin.queues.general')}</legend>
        <div className="admin-grid-3">
          <Field label={t('admin.queues.name')} name="name" error={err.at('name')}>
            <input name="name" autoFocus value={d.name} onChange={(e) => set({ name: e.target.value })} />
          </Field>
          <Field label={t('admin.queues.priority')} name="priority" error={err.at('priority')} hint={t('admin.queues.priorityHint')}>
            <input name="priority" type="number" value={d.priority} onChange={(e) => set({ priority: e.target.value })} />
          </Field>
          <Field label={t('admin.queues.strategy')} name="strategy" error={err.at('strategy')}>
            <select name="strategy" value={d.strategy} onChange={(e) => set({ strategy: e.target.value })}>
              {STRATEGIES.map((s) => <option key={s} value={s}>{t(`admin.queues.strategies.${s}`)}</option>)}
            </select>
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('admin.queues.requirements')}</legend>
        <p className="admin-hint">{t('admin.queues.requirementsHint')}</p>
        <RequirementRows name="requirement" rows={d.requirements} onChange={(requirements) => set({ requirements })} />
        {err.at('requirements') && <span className="admin-field-error" role="alert" data-testid="field-error-requirements">{err.at('requirements')}</span>}
        <h3>{t('admin.queues.relaxation')}</h3>
        <p className="admin-hint">{t('admin.queues.relaxationHint')}</p>
        {d.relaxation.map((r, i) => (
          <div key={i} className="admin-step" data-testid="relaxation-step">
            <Field label={t('admin.queues.afterSeconds')} name={`relaxation.${i}.afterSeconds`}>
              <input name={`relax-after-${i}`} type="number" value={r.afterSeconds} onChange={(e) => set({ relaxation: d.relaxation.map((x, j) => (j === i ? { ...x, afterSeconds: e.target.value } : x)) })} />
            </Field>
            <Field label={t('admin.queues.drop')} name={`relaxation.${i}.drop`} hint={t('admin.queues.dropHint')}>
              <input name={`relax-drop-${i}`} value={r.drop} onChange={(e) => set({ relaxation: d.relaxation.map((x, j) => (j === i ? { ...x, drop: e.target.value } : x)) })} />
            </Field>
            <div className="admin-field">
              <span className="admin-field-label">{t('admin.queues.lower')}</span>
              <RequirementRows name={`relax-lower-${i}`} rows={r.lower} onChange={(lower) => set({ relaxation: d.relaxation.map((x, j) => (j === i ? { ...x, lower } : x)) })} />
            </div>
            <button type="button" className="secondary" onClick={() => set({ relaxation: d.relaxation.filter((_, j) => j !== i) })}>{t('admin.queues.removeStep')}</button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => set({ relaxation: [...d.relaxation, { afterSeconds: '60', drop: '', lower: [] }] })}>{t('admin.queues.addStep')}</button>
        {err.at('relaxation') && <span className="admin-field-error" role="alert" data-testid="field-error-relaxation">{err.at('relaxation')}</span>}
      </fieldset>
      <fieldset>
        <legend>{t('admin.queues.waitingCallers')}</legend>
        <div className="admin-grid-3">
          <Field label={t('admin.queues.maxWait')} name="maxWaitSeconds" error={err.at('maxWaitSeconds')} hint={t('admin.queues.emptyNever')}>
            <input name="maxWaitSeconds" type="number" value={d.maxWait} onChange={(e) => set({ maxWait: e.target.value })} />
          </Field>
          <Field label={t('admin.queues.overflowTo')} name="overflow" error={err.at('overflow')}>
            <select name="overflowKind" value={d.overflowKind} onChange={(e) => set({ overflowKind: e.target.value })}>
              {OVERFLOW_KINDS.map((k) => <option key={k} value={k}>{t(`admin.queues.overflow.${k}`)}</option>)}
            </select>
          </Field>
          {d.overflowKind === 'queue' && (
            <Field label={t('admin.queues.overflowQueue')} name="overflow.queueId" error={err.at('overflow.queueId')}>
              <select name="overflowQueue" value={d.overflowQueue} onChange={(e) => set({ overflowQueue: e.target.value })}>
                <option value="">—</option>
                {queues.filter((q) => q.id !== queue?.id).map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
              </select>
            </Field>
          )}
          <Field label={t('admin.queues.aging')} name="agingSecondsPerLevel" error={err.at('agingSecondsPerLevel')} hint={t('admin.queues.agingHint')}>
            <input name="agingSecondsPerLevel" type="number" value={d.aging} onChange={(e) => set({ aging: e.target.value })} />
          </Field>
          <Field label={t('admin.queues.announceEvery')} name="announceEverySeconds" error={err.at('announceEverySeconds')} hint={t('admin.queues.emptyNever')}>
            <input name="announceEverySeconds" type="number" value={d.announceEvery} onChange={(e) => set({ announceEvery: e.target.value })} />
          </Field>
          <Field label={t('admin.queues.holdMusic')} name="holdMusicPromptId" error={err.at('holdMusicPromptId')}>
            <select name="holdMusicPromptId" value={d.holdMusic} onChange={(e) => set({ holdMusic: e.target.value })}>
              <option value="">{t('admin.queues.builtInMusic')}</option>
              {prompts.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('admin.queues.agents')}</legend>
        <div className="admin-grid-3">
          <Field label={t('admin.queues.offerTimeout')} name="offerTimeoutSeconds" error={err.at('offerTimeoutSeconds')} hint={t('admin.queues.offerTimeoutHint')}>
            <input name="offerTimeoutSeconds" type="number" value={d.offerTimeout} onChange={(e) => set({ offerTimeout: e.target.value })} />
          </Field>
          <Field label={t('admin.queues.wrapUp')} name="wrapUpSeconds" error={err.at('wrapUpSeconds')} hint={t('admin.queues.wrapUpHint')}>
            <input name="wrapUpSeconds" type="number" value={d.wrapUp} onChange={(e) => set({ wrapUp: e.target.value })} />
          </Field>
          <Field label={t('admin.queues.serviceLevel')} name="serviceLevelSeconds" error={err.at('serviceLevelSeconds')} hint={t('admin.queues.serviceLevelHint')}>
            <input name="serviceLevelSeconds" type="number" value={d.serviceLevel} onChange={(e) => set({ serviceLevel: e.target.value })} />
          </Field>
        </div>
        <div className="admin-field" data-field="dispositions">
          <span className="admin-field-label">{t('admin.queues.dispositions')}</span>
          <ListInput name="disposition" label={t('admin.queues.newDisposition')} placeholder={t('admin.queues.newDisposition')} values={d.dispositions} onChange={(dispositions) => set({ dispositions })} />
          <small className="admin-hint">{t('admin.queues.dispositionsHint')}</small>
          {err.at('dispositions') && <span className="admin-field-error" role="alert" data-testid="field-error-dispositions">{err.at('dispositions')}</span>}
        </div>
      </fieldset>
      <FormMessage text={err.general} />
      <div className="buttons">
        <button type="submit" data-testid="save-queue">{queue ? t('users.save') : t('admin.queues.create')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
