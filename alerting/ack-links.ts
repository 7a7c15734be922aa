import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';

/** What a signed acknowledgement link carries besides the group id (in its query). */
export interface AckLinkParams {
  /** The firing episode: when its first page went out (epoch ms). */
  episode: number;
  /** Expiry, epoch ms. */
  expires: number;
  sig: string;
}

/** Why a link is refused, with the HTTP status that says it. */
export type AckLinkCheck =
  { ok: true; linkId: string } | { ok: false; status: 403 | 404 | 410; reason: string };

interface AckLinksTables {
  alerting_ack_links_used: { link_id: string; group_id: string; used_at: number; used_by: string };
  alerting_groups: { group_id: string; paged_at: number | null };
}

const payload = (groupId: string, episode: number, expires: number) =>
  `ack:v2:${groupId}:${episode}:${expires}`;

/** HMAC-SHA256 over the group id, its episode and the expiry: the signature of a v2 link. */
export function signAckLink(secret: string, groupId: string, episode: number, expires: number): string {
  return createHmac('sha256', secret)
    .update(payload(groupId, episode, expires))
    .digest('base64url');
}

/**
 * The link in a notification: `…/alert-groups/ID/ack?sig=…&e=EPISODE&exp=EXPIRES`. It acknowledges
 * only the firing episode it was sent for, only until it expires, and only once.
 */
export function ackLinkUrl(
  externalURL: string,
  secret: string,
  groupId: string,
  episode: number,
  expires: number,
): string {
  const sig = signAckLink(secret, groupId, episode, expires);
  return `${externalURL.replace(/\/$/, '')}/api/v1/alert-groups/${groupId}/ack?sig=${sig}&e=${episode}&exp=${expires}`;
}

/** Reads `sig`, `e` and `exp` from a query or form body; undefined when one is missing or malformed. */
export function ackLinkParams(q: Record<string, unknown>): AckLinkParams | undefined {
  const num = (v: unknown) => (typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : undefined);
  const episode = num(q.e);
  const expires = num(q.exp);
  const sig = typeof q.sig === 'string' ? q.sig : undefined;
  if (episode === undefined || expires === undefined || !sig) return undefined;
  return { episode, expires, sig };
}

/**
 * Checks a link: a valid signature (403 otherwise), not expired, for the episode still firing,
 * not used before (410 Gone for each, with a sentence saying which). The link id is a hash of the
 * signature, so the used-links table holds nothing that could be replayed.
 */
export async function checkAckLink(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  secret: string | undefined,
  groupId: string,
  p: AckLinkParams | undefined,
  now: number,
): Promise<AckLinkCheck> {
  if (!secret || !p) return { ok: false, status: 403, reason: 'This acknowledgement link is not valid.' };
  const want = Buffer.from(signAckLink(secret, groupId, p.episode, p.expires));
  const got = Buffer.from(p.sig);
  if (want.length !== got.length || !timingSafeEqual(want, got))
    return { ok: false, status: 403, reason: 'This acknowledgement link is not valid.' };
  if (p.expires <= now)
    return {
      ok: false,
      status: 410,
      reason: `This acknowledgement link expired at ${new Date(p.expires).toISOString()}. Acknowledge in vigil or with "vigil alerts ack ${groupId}".`,
    };
  const d = db as unknown as Kysely<AckLinksTables>;
  const linkId = createHash('sha256').update(p.sig).digest('hex');
  const used = await d
    .selectFrom('alerting_ack_links_used')
    .select(['used_at', 'used_by'])
    .where('link_id', '=', linkId)
    .executeTakeFirst();
  if (used)
    return {
      ok: false,
      status: 410,
      reason: `This acknowledgement link was already used at ${new Date(Number(used.used_at)).toISOString()}; a link works once.`,
    };
  const g = await d
    .selectFrom('alerting_groups')
    .select('paged_at')
    .where('group_id', '=', groupId)
    .executeTakeFirst();
  if (!g || g.paged_at === null || Number(g.paged_at) !== p.episode)
    return {
      ok: false,
      status: 410,
      reason:
        'This acknowledgement link belongs to an alert episode that has ended; a newer page carries its own link.',
    };
  return { ok: true, linkId };
}

/** Marks a link used; false when it already was (another request won the race). */
export async function consumeAckLink(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  linkId: string,
  groupId: string,
  by: string,
  now: number,
): Promise<boolean> {
  const d = db as unknown as Kysely<AckLinksTables>;
  const r = await d
    .insertInto('alerting_ack_links_used')
    .values({ link_id: linkId, group_id: groupId, used_at: now, used_by: by })
    .onConflict((oc) => oc.column('link_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}
