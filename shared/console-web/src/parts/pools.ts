import { type PoolItem, poolListSchema } from '../../../console/responses.ts';
import { getJson } from '../api.ts';
import { h } from '../dom.ts';

/** The pools in the caller's scope (the picker's choices). */
export const fetchPools = async (): Promise<PoolItem[]> =>
  (await getJson('/api/pools', poolListSchema)).items;

/** A pool's code with its name when the directory has one: `15.04 Kab. Kerinci`. */
export const poolName = (pools: readonly PoolItem[], code: string): string => {
  const p = pools.find((x) => x.pool === code);
  return p?.name === undefined ? code : `${code} ${p.name}`;
};

/**
 * The pool field of the ops and finance pages: free text (a code in scope the directory does not list
 * still works), offering the pools in scope by name.
 */
export function poolPicker(
  listId: string,
  value: string,
  pools: readonly PoolItem[],
): { input: HTMLInputElement; list: HTMLDataListElement } {
  return {
    input: h('input', { name: 'pool', value, required: true, autocomplete: 'off', list: listId }),
    list: h(
      'datalist',
      { id: listId },
      ...pools.map((p) => h('option', { value: p.pool }, p.name ?? p.pool)),
    ),
  };
}
