import type { Period, PoolCode } from '#domain/model.ts';
import type { BillApproval, BillBook, BillDecision, BillRecord, Payment } from '#domain/ports/bill-book.ts';

/** The BillBook fake: the same conditions as the DynamoDB adapter (test/support/contracts/bill-book-contract.ts). */
export class InMemoryBillBook implements BillBook {
  readonly bills = new Map<string, BillRecord>();
  readonly paid = new Map<string, Payment>();

  async get(pool: PoolCode, month: Period, version: string): Promise<BillRecord | undefined> {
    const r = this.bills.get(`${pool}|${month}|${version}`);
    return r === undefined ? undefined : structuredClone(r);
  }

  async recordApproval(
    pool: PoolCode,
    month: Period,
    approval: BillApproval,
  ): Promise<'RECORDED' | 'CONFLICT'> {
    const key = `${pool}|${month}|${approval.version}`;
    if (this.bills.has(key)) return 'CONFLICT';
    this.bills.set(key, { pool, month, version: approval.version, approved: { ...approval } });
    return 'RECORDED';
  }

  async recordRelease(
    pool: PoolCode,
    month: Period,
    version: string,
    release: BillDecision,
  ): Promise<'RECORDED' | 'CONFLICT'> {
    const key = `${pool}|${month}|${version}`;
    const r = this.bills.get(key);
    if (r === undefined || r.released !== undefined || r.approved.by === release.by) return 'CONFLICT';
    this.bills.set(key, { ...r, released: { ...release } });
    return 'RECORDED';
  }

  async recordPayment(payment: Payment): Promise<'RECORDED' | 'DUPLICATE'> {
    const key = `${payment.pool}|${payment.reference}`;
    if (this.paid.has(key)) return 'DUPLICATE';
    this.paid.set(key, structuredClone(payment));
    return 'RECORDED';
  }

  async payments(pool: PoolCode): Promise<Payment[]> {
    return [...this.paid.entries()]
      .filter(([k]) => k.startsWith(`${pool}|`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, p]) => structuredClone(p));
  }
}
