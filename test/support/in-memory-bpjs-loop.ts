import type { Period, PoolCode } from '#domain/model.ts';
import type { BillApproval, BillBook, BillDecision, BillRecord, Payment } from '#domain/ports/bill-book.ts';
import type {
  ConfirmationLine,
  ConfirmationStore,
  CurrentConfirmation,
} from '#domain/ports/confirmation-store.ts';

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

/** The ConfirmationStore fake: the same pointer rule as the DynamoDB adapter (its contract). */
export class InMemoryConfirmationStore implements ConfirmationStore {
  readonly sets = new Map<string, Map<string, ConfirmationLine>>();
  readonly pointers = new Map<string, CurrentConfirmation>();

  async putLines(
    pool: PoolCode,
    month: Period,
    fileId: string,
    lines: readonly ConfirmationLine[],
  ): Promise<void> {
    const key = `${pool}|${month}|${fileId}`;
    const set = this.sets.get(key) ?? new Map<string, ConfirmationLine>();
    for (const l of lines) set.set(l.nik, structuredClone(l));
    this.sets.set(key, set);
  }

  async setCurrent(pool: PoolCode, month: Period, file: CurrentConfirmation): Promise<'MOVED' | 'KEPT'> {
    const now = this.pointers.get(`${pool}|${month}`);
    if (now !== undefined && now.receivedAt >= file.receivedAt && now.fileId !== file.fileId) return 'KEPT';
    this.pointers.set(`${pool}|${month}`, { ...file });
    return 'MOVED';
  }

  async current(pool: PoolCode, month: Period): Promise<CurrentConfirmation | undefined> {
    const p = this.pointers.get(`${pool}|${month}`);
    return p === undefined ? undefined : { ...p };
  }

  async lines(pool: PoolCode, month: Period, fileId: string): Promise<ConfirmationLine[]> {
    const set = this.sets.get(`${pool}|${month}|${fileId}`) ?? new Map<string, ConfirmationLine>();
    return [...set.values()]
      .sort((a, b) => (a.nik < b.nik ? -1 : a.nik > b.nik ? 1 : 0))
      .map((l) => structuredClone(l));
  }

  async line(
    pool: PoolCode,
    month: Period,
    fileId: string,
    nik: string,
  ): Promise<ConfirmationLine | undefined> {
    const l = this.sets.get(`${pool}|${month}|${fileId}`)?.get(nik);
    return l === undefined ? undefined : structuredClone(l);
  }
}
