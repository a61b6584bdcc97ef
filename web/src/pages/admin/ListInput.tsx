// A list of short texts edited as removable chips plus an input: Enter or "Add" appends the text.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function ListInput({ name, label, values, onChange, placeholder }: {
  name: string; label: string; values: string[]; onChange: (values: string[]) => void; placeholder?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const add = () => {
    const v = text.trim();
    if (v && !values.includes(v)) onChange([...values, v]);
    setText('');
  };
  return (
    <div className="admin-list-input" data-testid={`list-${name}`}>
      <ul className="chips">
        {values.map((v) => (
          <li key={v}>
            {v}
            <button type="button" className="admin-chip-remove" aria-label={t('admin.common.removeItem', { item: v })} onClick={() => onChange(values.filter((x) => x !== v))}>×</button>
          </li>
        ))}
      </ul>
      <div className="admin-row">
        <input name={name} aria-label={label} placeholder={placeholder} value={text} onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} />
        <button type="button" className="secondary" onClick={add}>{t('admin.common.add')}</button>
      </div>
    </div>
  );
}
