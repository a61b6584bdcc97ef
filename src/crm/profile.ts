// Profile attributes (pure): names, BCP 47 language tags, IANA time zones, tags, and the keys that
// search and duplicate suggestions compare.
import { DomainError } from '../kernel/index.ts';

const invalid = (field: string, message: string) => new DomainError('SB_VALIDATION', 400, `${field} ${message}`, { field });

export const MAX_TEXT = 200;
export const MAX_TAG = 64;
export const MAX_TAGS = 50;

/** Trimmed, NFC; empty becomes null. */
export function normalizeText(v: string | null | undefined, field: string, max = MAX_TEXT): string | null {
  if (v === null || v === undefined) return null;
  const s = v.normalize('NFC').trim();
  if (s.length > max) throw invalid(field, `must be at most ${max} characters`);
  return s || null;
}

/** BCP 47 (RFC 5646) in its canonical form, e.g. zh-cn -> zh-CN. */
export function normalizeLanguage(v: string | null | undefined, field = 'language'): string | null {
  const s = v?.trim();
  if (!s) return null;
  try {
    const [tag] = Intl.getCanonicalLocales(s);
    if (tag) return tag;
  } catch { /* RangeError: not a well-formed tag */ }
  throw invalid(field, 'must be a BCP 47 language tag such as en, zh-CN or zh-TW');
}

/** An IANA time zone name (offsets such as +08:00 are not zones), in its canonical spelling. */
export function normalizeTimeZone(v: string | null | undefined, field = 'timeZone'): string | null {
  const s = v?.trim();
  if (!s) return null;
  if (/^[+-]/.test(s) || /^\d/.test(s)) throw invalid(field, 'must be an IANA time zone such as Asia/Shanghai');
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: s }).resolvedOptions().timeZone;
  } catch {
    throw invalid(field, 'must be an IANA time zone such as Asia/Shanghai');
  }
}

/** A set of tags: trimmed, NFC, without duplicates, sorted. */
export function normalizeTags(tags: readonly string[], field = 'tags'): string[] {
  const set = new Set<string>();
  tags.forEach((t, i) => {
    const s = t.normalize('NFC').trim();
    if (!s) return;
    if (s.length > MAX_TAG) throw invalid(`${field}.${i}`, `must be at most ${MAX_TAG} characters`);
    set.add(s);
  });
  if (set.size > MAX_TAGS) throw invalid(field, `can hold at most ${MAX_TAGS} tags`);
  return [...set].sort();
}

/** Lower-case, compatibility-folded, single-spaced: what text search and duplicate rules compare. */
export function searchKey(v: string | null): string | null {
  if (!v) return null;
  const s = v.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return s || null;
}

/** The "same name and company" duplicate key; null unless both are present. */
export function nameKey(name: string | null, company: string | null): string | null {
  const n = searchKey(name);
  const c = searchKey(company);
  return n && c ? `${n}\u001f${c}` : null;
}
