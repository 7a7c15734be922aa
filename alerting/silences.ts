import { randomUUID } from 'node:crypto';
import { VigilError } from '../core/index.js';
import { matchesAll, newMatcher, type MatchType, type Matcher } from './matchers.js';

/** A silence as Alertmanager's API v2 shows it; times in epoch ms. */
export interface Silence {
  id: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (s.endsAt <= now) return 'expired';
  if (s.startsAt > now) return 'pending';
  return 'active';
}

export function silenceMatchers(s: Silence): Matcher[] {
  return s.matchers.map((m) => {
    const type: MatchType = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
    return newMatcher(type, m.name, m.value);
  });
}

/**
 * The silences of a router, with Alertmanager's update rule (silence/silence.go `Set`/`canUpdate`):
 * an edit that keeps the matchers of a silence that is not expired, and does not move the start
 * of an active one, updates it in place; any other edit expires the old silence and creates a new
 * one with a new id — editing a silence replaces it.
 */
export class Silences {
  readonly #items = new Map<string, { s: Silence; m: Matcher[] }>();

  /** Loads silences as stored (no rule applied). */
  load(list: Silence[]): void {
    for (const s of list) this.#items.set(s.id, { s, m: silenceMatchers(s) });
  }

  get(id: string): Silence | undefined {
    return this.#items.get(id)?.s;
  }

  list(): Silence[] {
    return [...this.#items.values()].map((x) => x.s);
  }

  /** Creates or edits a silence; returns the id it now has and every silence changed. */
  set(
    input: Omit<Silence, 'id' | 'updatedAt'> & { id?: string },
    now: number,
  ): { id: string; changed: Silence[] } {
    if (input.matchers.length === 0)
      throw new VigilError('ALR_SILENCE', 'a silence needs at least one matcher');
    if (input.endsAt <= input.startsAt)
      throw new VigilError('ALR_SILENCE', 'a silence must end after it starts');
    const matchers = silenceMatchers({ ...input, id: '', updatedAt: now }); // validates regexes
    if (matchers.every((m) => m.matches('')))
      throw new VigilError('ALR_SILENCE', 'at least one matcher must not match the empty string');
    const changed: Silence[] = [];
    const prev = input.id ? this.#items.get(input.id)?.s : undefined;
    if (input.id && !prev) throw new VigilError('ALR_SILENCE_NOT_FOUND', `silence ${input.id} not found`);
    if (prev && canUpdate(prev, input, now)) {
      const s = { ...prev, ...input, id: prev.id, updatedAt: now };
      this.#items.set(s.id, { s, m: matchers });
      return { id: s.id, changed: [s] };
    }
    if (prev) {
      const old = this.expire(prev.id, now);
      if (old) changed.push(old);
    }
    const s: Silence = {
      ...input,
      id: randomUUID(),
      updatedAt: now,
      startsAt: Math.max(input.startsAt, now),
    };
    this.#items.set(s.id, { s, m: matchers });
    changed.push(s);
    return { id: s.id, changed };
  }

  /** Expires a silence now (a pending one ends before it starts); returns it, or undefined if already expired. */
  expire(id: string, now: number): Silence | undefined {
    const cur = this.#items.get(id);
    if (!cur) throw new VigilError('ALR_SILENCE_NOT_FOUND', `silence ${id} not found`);
    const st = silenceState(cur.s, now);
    if (st === 'expired') return undefined;
    const s = { ...cur.s, endsAt: now, updatedAt: now, startsAt: st === 'pending' ? now : cur.s.startsAt };
    this.#items.set(id, { s, m: cur.m });
    return s;
  }

  /** Ids of the active silences that match these labels. */
  mutedBy(labels: Readonly<Record<string, string>>, now: number): string[] {
    const out: string[] = [];
    for (const { s, m } of this.#items.values()) {
      if (silenceState(s, now) === 'active' && matchesAll(m, labels)) out.push(s.id);
    }
    return out;
  }
}

function canUpdate(a: Silence, b: Omit<Silence, 'id' | 'updatedAt'>, now: number): boolean {
  if (JSON.stringify(a.matchers) !== JSON.stringify(b.matchers)) return false;
  switch (silenceState(a, now)) {
    case 'active':
      return b.startsAt === a.startsAt && b.endsAt >= now;
    case 'pending':
      return b.startsAt >= now;
    case 'expired':
      return false;
  }
}
