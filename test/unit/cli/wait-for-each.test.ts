import { describe, expect, it } from 'vitest';
import { mapInGroups, WaitTimeoutError, waitForEach } from '#shared/cli/wait.ts';

describe('waitForEach', () => {
  it('probes only the items still pending, a few at a time, and returns values in item order', async () => {
    // prepare: item k is ready from round k + 1 on
    const items = ['a', 'b', 'c', 'd', 'e'];
    const probes: string[] = [];
    let inFlight = 0;
    let most = 0;
    const round = new Map<string, number>();
    const probe = async (item: string) => {
      probes.push(item);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      const seen = (round.get(item) ?? 0) + 1;
      round.set(item, seen);
      return seen > items.indexOf(item) ? item.toUpperCase() : undefined;
    };
    const progress: [number, number][] = [];
    // act
    const values = await waitForEach('letters', items, 5_000, probe, {
      concurrency: 2,
      intervalMs: 1,
      onProgress: (done, total) => progress.push([done, total]),
    });
    // assess
    expect(values).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(most).toBe(2);
    // 5 + 4 + 3 + 2 + 1 probes: a ready item is never asked again
    expect(probes).toHaveLength(15);
    expect(progress).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  it('says how many are still pending when it gives up', async () => {
    const error = await waitForEach('pools', [1, 2, 3], 20, async (n) => (n === 1 ? n : undefined), {
      intervalMs: 5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(/waiting for pools.*; 2 of 3 still pending$/);
  });
});

describe('mapInGroups', () => {
  it('keeps item order across groups', async () => {
    const out = await mapInGroups([5, 1, 4, 2, 3], 2, async (n) => {
      await new Promise((r) => setTimeout(r, n));
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
  });
});
