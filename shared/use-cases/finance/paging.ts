import { ValidationError } from '#domain/errors.ts';

/**
 * Pagination for finance lists: a page is `limit` items plus an opaque `next` token (base64url JSON of
 * where to resume), so a 100,000-row month is read one page per request, never whole.
 */
export type Page<T> = { readonly items: readonly T[]; readonly next?: string };

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

export const encodeToken = (position: Record<string, string>): string =>
  Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

export function decodeToken(token: string | undefined): Record<string, string> | undefined {
  if (token === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.every(([, v]) => typeof v === 'string'))
        return Object.fromEntries(entries) as Record<string, string>;
    }
  } catch {
    // fall through: any undecodable token is the caller's mistake
  }
  throw new ValidationError('the `next` token is not one this API issued', { code: 'TOKEN_INVALID' });
}

/**
 * Takes up to `limit` items passing `keep` from a page stream; `next` is set only when at least one more
 * kept item exists (one look-ahead item, so the last page never carries a token to an empty page).
 */
export async function takePage<T>(
  pages: AsyncIterable<readonly T[]>,
  limit: number,
  keep: (item: T) => boolean,
  positionOf: (item: T) => Record<string, string>,
): Promise<Page<T>> {
  const items: T[] = [];
  for await (const page of pages) {
    for (const item of page) {
      if (!keep(item)) continue;
      if (items.length === limit) {
        const last = items.at(-1);
        return { items, ...(last === undefined ? {} : { next: encodeToken(positionOf(last)) }) };
      }
      items.push(item);
    }
  }
  return { items };
}
