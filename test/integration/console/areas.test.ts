import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '#domain/alerts.ts';
import type { PoolAlertSummary } from '#domain/areas.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import { FORBIDDEN_BODY } from '#shared/console/api.ts';
import { makeWritePoolMonthSummary } from '#shared/use-cases/area-views.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { MONTHS, POOL } from '../finance/history.ts';
import { type ConsoleFixture, startConsoleFixture } from './console-fixture.ts';

/**
 * Finance across a province (docs/console.md#areas): the pool picker lists the pools in scope, and an
 * area's month is the sum of its pools' reconciliations, to the rupiah, with each pool's own line.
 */

const cloud = useLocalCloud();
let fx: ConsoleFixture;

type Rec = { opening: number; allocated: number; closing: number; credits: { total: number } };

beforeAll(async () => {
  fx = await startConsoleFixture(cloud());
  const { ddb } = cloud().clients;
  const tableName = cloud().names.tables.ledger;
  // Each pool's month summary, as the run's month-end outputs write it.
  const write = makeWritePoolMonthSummary({
    log: new DynamoDbAllocationLog({ ddb, tableName }),
    summaries: new DynamoDbAreaSummaries({ ddb, tableName }),
    clock: { now: () => new Date('2026-05-01T00:00:00Z') },
  });
  for (const month of MONTHS) await write({ pool: POOL, month });
}, 240_000);
afterAll(() => fx?.close());

describe('pools and areas in the console', () => {
  it('lists the pools in the caller scope for the picker, and refuses an area outside it', async () => {
    const province = await fx.issuer.sign({ role: 'finance', pools: ['15'] });
    const res = await fx.call({ path: '/api/pools', token: province });
    expect(res.status, res.body).toBe(200);
    expect((JSON.parse(res.body) as { items: { pool: string }[] }).items.map((p) => p.pool)).toContain(POOL);
    const other = await fx.issuer.sign({ role: 'finance', pools: ['16'] });
    const none = JSON.parse((await fx.call({ path: '/api/pools', token: other })).body) as {
      items: unknown[];
    };
    expect(none.items).toEqual([]);
    const refused = await fx.call({ path: '/api/pools', query: { area: '15' }, token: other });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual(FORBIDDEN_BODY);
  });

  it("sums the pools' reconciliations of a province's month to the rupiah, with each pool's line", async () => {
    const province = await fx.issuer.sign({ role: 'finance', pools: ['15'] });
    for (const month of MONTHS) {
      const res = await fx.call({ path: '/api/areas/15/month', query: { month }, token: province });
      expect(res.status, res.body).toBe(200);
      const area = JSON.parse(res.body) as {
        month: string;
        total: Rec & { pools: number };
        pools: (Rec & { pool: string })[];
      };
      const rec = JSON.parse(
        (
          await fx.call({
            path: `/api/pools/${POOL}/reconciliation`,
            query: { month },
            token: await fx.issuer.sign({ role: 'finance', pools: [POOL] }),
          })
        ).body,
      ) as Rec;
      expect(area.pools.map((p) => p.pool)).toEqual([POOL]);
      expect(area.total.pools).toBe(1);
      for (const key of ['opening', 'allocated', 'closing'] as const) expect(area.total[key]).toBe(rec[key]);
      expect(area.total.credits.total).toBe(rec.credits.total);
      expect(area.pools[0]?.closing).toBe(rec.closing);
    }
    // Corrections recorded since the pool's last run, as its balance shows them, beside the runs' figures.
    const balance = JSON.parse(
      (
        await fx.call({
          path: `/api/pools/${POOL}/balance`,
          token: await fx.issuer.sign({ role: 'finance', pools: [POOL] }),
        })
      ).body,
    ) as { pendingCorrections: number };
    const april = JSON.parse(
      (await fx.call({ path: '/api/areas/15/month', query: { month: '2026-04' }, token: province })).body,
    ) as { total: { pendingCorrections: number }; pools: { pendingCorrections: number }[] };
    expect(april.total.pendingCorrections).toBe(balance.pendingCorrections);
    expect(april.pools[0]?.pendingCorrections).toBe(balance.pendingCorrections);
    // Without a month: the newest month with summaries.
    const latest = JSON.parse((await fx.call({ path: '/api/areas/15/month', token: province })).body) as {
      month: string;
    };
    expect(latest.month).toBe(MONTHS.at(-1));
    // An area outside the scope: the constant 403; an area with no runs that month: 404.
    const regency = await fx.issuer.sign({ role: 'finance', pools: ['15.05'] });
    expect((await fx.call({ path: '/api/areas/15/month', token: regency })).status).toBe(403);
    expect(
      (await fx.call({ path: '/api/areas/15.05/month', query: { month: '2026-02' }, token: regency })).status,
    ).toBe(404);
  });

  it('reads a day of alert counts stored before a kind existed as none of that kind', async () => {
    // arrange: a summary written by an older release, without PAYMENT_UNCONFIRMED in its counts
    const { ddb } = cloud().clients;
    const tableName = cloud().names.tables.ledger;
    const { PAYMENT_UNCONFIRMED: _added, ...older } = Object.fromEntries(
      ALERT_KINDS.map((k) => [k, { new: 1, open: 2 }]),
    );
    await ddb.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'AREA#15#ALERTS#2026-05-02',
          sk: POOL,
          pool: POOL,
          date: '2026-05-02',
          counts: older,
          workersScanned: 10,
          writtenAt: '2026-05-02T00:00:00.000Z',
        },
      }),
    );
    // act
    const days: PoolAlertSummary[] = [];
    for await (const page of new DynamoDbAreaSummaries({ ddb, tableName }).alerts('15', '2026-05-02'))
      days.push(...page);
    // assess
    expect(days).toHaveLength(1);
    expect(days[0]?.counts.PAYMENT_UNCONFIRMED).toEqual({ new: 0, open: 0 });
    expect(days[0]?.counts.LAPSED).toEqual({ new: 1, open: 2 });
  });
});
