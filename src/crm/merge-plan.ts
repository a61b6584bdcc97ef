// Merge and unmerge decisions (pure). On merge the survivor keeps its own values and takes the merged
// customer's only where its own are empty; tags are united. What the survivor took is recorded by name
// only (no values: the merged customer's row keeps them), so an unmerge can give back exactly that.
import { CONSENT_KINDS, type Consent, type ConsentKind, type Customer, type FieldValue } from './customer-model.ts';

export type Profile = Pick<Customer, 'name' | 'company' | 'language' | 'timeZone' | 'tags' | 'fields' | 'consent'>;

const ATTRIBUTES = ['name', 'company', 'language', 'timeZone'] as const;

/** What a merge changed on the survivor, besides the identities and notes that moved. */
export interface MergeMoves {
  /** Profile attributes filled from the merged customer: name, company, language, timeZone, consent.<kind>. */
  filled: string[];
  tagsAdded: string[];
  /** Custom field keys filled from the merged customer. */
  fieldsFilled: string[];
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '';
const sameConsent = (a: Consent, b: Consent) => a.given === b.given && a.at === b.at;
const consentKey = (k: ConsentKind) => `consent.${k}`;

export function planMerge(survivor: Profile, merged: Profile): { profile: Profile; moves: MergeMoves } {
  const profile: Profile = { ...survivor, tags: [...survivor.tags], fields: { ...survivor.fields }, consent: { ...survivor.consent } };
  const moves: MergeMoves = { filled: [], tagsAdded: [], fieldsFilled: [] };
  for (const a of ATTRIBUTES) {
    if (isEmpty(survivor[a]) && !isEmpty(merged[a])) {
      profile[a] = merged[a];
      moves.filled.push(a);
    }
  }
  for (const k of CONSENT_KINDS) {
    if (survivor.consent[k].given === null && merged.consent[k].given !== null) {
      profile.consent[k] = { ...merged.consent[k] };
      moves.filled.push(consentKey(k));
    }
  }
  for (const t of merged.tags) {
    if (!survivor.tags.includes(t)) {
      profile.tags.push(t);
      moves.tagsAdded.push(t);
    }
  }
  profile.tags.sort();
  for (const [key, value] of Object.entries(merged.fields)) {
    if (isEmpty(survivor.fields[key]) && !isEmpty(value)) {
      profile.fields[key] = value;
      moves.fieldsFilled.push(key);
    }
  }
  return { profile, moves };
}

/**
 * The survivor's profile after undoing a merge: each value the merge filled is cleared again if it
 * still holds the merged customer's value (a later edit is kept); the tags it added are removed.
 */
export function planUnmerge(moves: MergeMoves, survivorNow: Profile, merged: Profile): Profile {
  const profile: Profile = { ...survivorNow, tags: [...survivorNow.tags], fields: { ...survivorNow.fields }, consent: { ...survivorNow.consent } };
  for (const a of ATTRIBUTES) {
    if (moves.filled.includes(a) && profile[a] === merged[a]) profile[a] = null;
  }
  for (const k of CONSENT_KINDS) {
    if (moves.filled.includes(consentKey(k)) && sameConsent(profile.consent[k], merged.consent[k])) profile.consent[k] = { given: null, at: null };
  }
  profile.tags = profile.tags.filter((t) => !moves.tagsAdded.includes(t));
  for (const key of moves.fieldsFilled) {
    const now: FieldValue | undefined = profile.fields[key];
    if (now !== undefined && now === merged.fields[key]) delete profile.fields[key];
  }
  return profile;
}
