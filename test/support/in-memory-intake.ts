import { createHash } from 'node:crypto';
import type { ColumnMapping } from '#domain/column-mapping.ts';
/**
 * In-memory fakes of the intake ports, with the DynamoDB/S3/SQS adapters' semantics (conditional
 * writes, NotFoundError, 10-per-call batches), plus failure switches for crash tests.
 */
import { ConflictError, NotFoundError } from '#domain/errors.ts';
import type { AgencyCode, DeductionChunk, FileKind, Period, PoolCode } from '#domain/model.ts';
import {
  type AgencyClaim,
  type AgencyRegistry,
  DEFAULT_POOL_SETTINGS,
  type PoolSettings,
} from '#domain/ports/agency-registry.ts';
import type { ColumnMappings } from '#domain/ports/column-mappings.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';
import type { FileDecision, FileHead, FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';
import type { ObjectStore, StreamOptions } from '#domain/ports/object-store.ts';
import type {
  EnrollmentHistoryEntry,
  EnrollmentOwner,
  RecordOutcome,
  WorkerEnrollment,
  WorkerRegistry,
} from '#domain/ports/worker-registry.ts';
import { InjectedCrashError } from './injected-crash.ts';

export class InMemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string }>();
  /** Bytes per chunk handed out by getStream (small, to exercise chunk boundaries). */
  streamChunkSize = 4096;

  #id(bucket: string, key: string): string {
    return `${bucket}/${key}`;
  }

  async getStream(bucket: string, key: string, opts: StreamOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const object = this.objects.get(this.#id(bucket, key));
    if (!object) throw new NotFoundError(`no object ${bucket}/${key}`);
    const { body } = object;
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    if (opts.ifMatch !== undefined && opts.ifMatch !== etag) {
      throw new ConflictError(`object ${bucket}/${key} changed since it was first read`, {
        code: 'OBJECT_CHANGED',
      });
    }
    opts.onTag?.(etag);
    const size = this.streamChunkSize;
    return (async function* () {
      for (let offset = 0; offset < body.byteLength; offset += size) yield body.slice(offset, offset + size);
    })();
  }

  async getText(bucket: string, key: string): Promise<string> {
    const object = this.objects.get(this.#id(bucket, key));
    if (!object) throw new NotFoundError(`no object ${bucket}/${key}`);
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(object.body);
  }

  async put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    this.objects.set(this.#id(bucket, key), { body: bytes, contentType });
  }

  async putStream(
    bucket: string,
    key: string,
    chunks: AsyncIterable<string>,
    contentType: string,
  ): Promise<void> {
    let text = '';
    for await (const chunk of chunks) text += chunk;
    await this.put(bucket, key, text, contentType);
  }

  keys(bucket: string, prefix = ''): string[] {
    const start = `${bucket}/${prefix}`;
    return [...this.objects.keys()].filter((k) => k.startsWith(start)).map((k) => k.slice(bucket.length + 1));
  }
}

export class InMemoryAgencyRegistry implements AgencyRegistry {
  readonly pools = new Map<PoolCode, PoolSettings>();
  readonly agencies = new Map<AgencyCode, { pool: PoolCode; firstFileId: string; registeredAt: string }>();

  async ensurePool(pool: PoolCode, createdAt: Date): Promise<void> {
    if (!this.pools.has(pool))
      this.pools.set(pool, { pool, ...DEFAULT_POOL_SETTINGS, createdAt: createdAt.toISOString() });
  }

  async getPool(pool: PoolCode): Promise<PoolSettings | undefined> {
    return this.pools.get(pool);
  }

  async notePeriod(pool: PoolCode, period: Period): Promise<void> {
    const settings = this.pools.get(pool);
    // As the adapter: its update is conditional on the pool existing; a missing pool changes nothing.
    if (settings === undefined) return;
    if (settings.firstPeriod === undefined || settings.firstPeriod > period)
      this.pools.set(pool, { ...settings, firstPeriod: period });
  }

  async claimAgency(agency: AgencyCode, pool: PoolCode, fileId: string, at: Date): Promise<AgencyClaim> {
    const owner = this.agencies.get(agency);
    if (owner) return { pool: owner.pool, firstFileId: owner.firstFileId, registered: false };
    this.agencies.set(agency, { pool, firstFileId: fileId, registeredAt: at.toISOString() });
    return { pool, firstFileId: fileId, registered: true };
  }
}

/** ColumnMappings in a map, copies in and out as the adapter's items are. */
export class InMemoryColumnMappings implements ColumnMappings {
  readonly mappings = new Map<string, ColumnMapping>();

  async get(pool: PoolCode, agency: AgencyCode): Promise<ColumnMapping | undefined> {
    const found = this.mappings.get(`${pool}#${agency}`);
    return found === undefined ? undefined : structuredClone(found);
  }

  async put(mapping: ColumnMapping): Promise<void> {
    this.mappings.set(`${mapping.pool}#${mapping.agency}`, structuredClone(mapping));
  }

  async remove(pool: PoolCode, agency: AgencyCode): Promise<void> {
    this.mappings.delete(`${pool}#${agency}`);
  }
}

export class InMemoryFileRegistry implements FileRegistry {
  readonly files = new Map<string, FileVersion>();
  readonly heads = new Map<string, FileHead>();

  async getFile(fileId: string): Promise<FileVersion | undefined> {
    return this.files.get(fileId);
  }

  async putFile(file: FileVersion): Promise<void> {
    if (file.status === 'PENDING_CONFIRMATION' && file.pending !== undefined) this.held.add(file.fileId);
    this.files.set(file.fileId, structuredClone(file));
  }

  async markSuperseded(fileId: string, supersededBy: string): Promise<void> {
    const file = this.files.get(fileId);
    // As the adapter: its update is conditional on the item existing, a failed condition a conflict.
    if (!file) throw new ConflictError(`UpdateItem supersede: no file ${fileId}`);
    this.files.set(fileId, { ...file, status: 'SUPERSEDED', supersededBy });
  }

  /** Ids of every version ever put held, as the adapter's markers: a later status does not remove one. */
  readonly held = new Set<string>();

  async listHeldExpiring(pool: PoolCode, from: string, to: string): Promise<FileVersion[]> {
    const expiry = (f: FileVersion) => f.pending?.expiresAt ?? '';
    return [...this.held]
      .map((id) => this.files.get(id))
      .filter((f): f is FileVersion => f?.pool === pool && expiry(f) >= from && expiry(f) <= to)
      .sort((a, b) => expiry(a).localeCompare(expiry(b)))
      .map((f) => structuredClone(f));
  }

  async listFiles(pool: PoolCode, periodOrKind: string): Promise<FileVersion[]> {
    return [...this.files.values()]
      .filter((f) => f.pool === pool && (f.period ?? f.kind) === periodOrKind)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  async getHead(pool: PoolCode, period: Period, agency: AgencyCode): Promise<FileHead | undefined> {
    return this.heads.get(`${pool}#${period}#${agency}`);
  }

  readonly contents = new Map<string, { fileId: string; receivedAt: string }>();

  async claimContent(
    pool: PoolCode,
    kind: FileKind,
    contentHash: string,
    owner: { readonly fileId: string; readonly receivedAt: string },
  ): Promise<{ readonly fileId: string; readonly receivedAt: string }> {
    const id = `${pool}#${kind}#${contentHash}`;
    const first = this.contents.get(id);
    if (first !== undefined) return { ...first };
    this.contents.set(id, { fileId: owner.fileId, receivedAt: owner.receivedAt });
    return { fileId: owner.fileId, receivedAt: owner.receivedAt };
  }

  async decide(fileId: string, decision: FileDecision): Promise<void> {
    const file = this.files.get(fileId);
    // As the adapter: conditional on a pending, undecided file.
    if (file?.status !== 'PENDING_CONFIRMATION' || file.decision !== undefined)
      throw new ConflictError(`UpdateItem decision: file ${fileId} is not pending`);
    const status = decision.action === 'CONFIRMED' ? file.status : decision.action;
    this.files.set(fileId, { ...file, status, decision: { ...decision } });
  }

  async advanceHead(next: Omit<FileHead, 'version'>, expectedVersion: number | undefined): Promise<FileHead> {
    const id = `${next.pool}#${next.period}#${next.agency}`;
    const current = this.heads.get(id);
    if (current?.version !== expectedVersion) throw new ConflictError(`head ${id} moved`);
    const head = { ...next, version: (expectedVersion ?? 0) + 1 };
    this.heads.set(id, head);
    return head;
  }
}

/** Records every chunk sent; `failAfterCalls` makes the (n+1)-th call throw, like a crash mid-emit. */
export class InMemoryDeductionQueue implements DeductionQueue {
  readonly sent: DeductionChunk[] = [];
  readonly calls: number[] = [];
  failAfterCalls: number | undefined;

  async sendChunks(chunks: readonly DeductionChunk[]): Promise<void> {
    if (chunks.length > 10) throw new Error(`a batch holds at most 10 messages, got ${chunks.length}`);
    if (this.failAfterCalls !== undefined && this.calls.length >= this.failAfterCalls) {
      throw new InjectedCrashError('simulated crash while sending');
    }
    this.calls.push(chunks.length);
    this.sent.push(...structuredClone([...chunks]));
  }
}

export class InMemoryWorkerRegistry implements WorkerRegistry {
  readonly enrollments = new Map<string, WorkerEnrollment>();
  readonly owners = new Map<string, PoolCode>();
  readonly historyItems = new Map<string, EnrollmentHistoryEntry>();

  async getEnrollment(pool: PoolCode, nik: string): Promise<WorkerEnrollment | undefined> {
    return this.enrollments.get(`${pool}#${nik}`);
  }

  async findOwner(nik: string): Promise<EnrollmentOwner | undefined> {
    const pool = this.owners.get(nik);
    return pool === undefined ? undefined : { pool };
  }

  async getEnrollments(pool: PoolCode, niks: readonly string[]): Promise<Map<string, WorkerEnrollment>> {
    return new Map(
      niks.flatMap((nik) => {
        const e = this.enrollments.get(`${pool}#${nik}`);
        return e === undefined ? [] : [[nik, e] as const];
      }),
    );
  }

  async findOwners(niks: readonly string[]): Promise<Map<string, EnrollmentOwner>> {
    return new Map(
      niks.flatMap((nik) => {
        const pool = this.owners.get(nik);
        return pool === undefined ? [] : [[nik, { pool }] as const];
      }),
    );
  }

  async recordChanges(entries: readonly EnrollmentHistoryEntry[]): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = [];
    for (const entry of entries) {
      try {
        await this.recordChange(entry);
        outcomes.push('RECORDED');
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        outcomes.push('CONFLICT');
      }
    }
    return outcomes;
  }

  async recordChange(entry: EnrollmentHistoryEntry): Promise<void> {
    // As the adapter: only a first enrollment (no `before`) claims the NIK, and may find another owner.
    if (entry.before === undefined) {
      const owner = this.owners.get(entry.nik);
      if (owner !== undefined && owner !== entry.pool)
        throw new ConflictError(`NIK enrolled in another pool`);
      this.owners.set(entry.nik, entry.pool);
    }
    // The adapter's history sort key: the line in 6 digits, so line 10 sorts after line 9.
    this.historyItems.set(
      `${entry.pool}#${entry.nik}#${entry.recordedAt}#${entry.fileId}#${String(entry.line).padStart(6, '0')}`,
      structuredClone(entry),
    );
    this.enrollments.set(`${entry.pool}#${entry.nik}`, structuredClone(entry.after));
  }

  async history(pool: PoolCode, nik: string): Promise<EnrollmentHistoryEntry[]> {
    return [...this.historyItems.entries()]
      .filter(([k]) => k.startsWith(`${pool}#${nik}#`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, v]) => v);
  }

  async *listEnrollments(pool: PoolCode): AsyncIterable<WorkerEnrollment[]> {
    const all = [...this.enrollments.values()]
      .filter((e) => e.pool === pool)
      .sort((a, b) => (a.nik < b.nik ? -1 : 1));
    for (let i = 0; i < all.length; i += 1000) yield all.slice(i, i + 1000);
  }
}

export const INTAKE_BUCKET = 'intake';
export const REPORTS_BUCKET = 'reports';

export function makeIntakeFakes() {
  return {
    objects: new InMemoryObjectStore(),
    files: new InMemoryFileRegistry(),
    agencies: new InMemoryAgencyRegistry(),
    queue: new InMemoryDeductionQueue(),
    workers: new InMemoryWorkerRegistry(),
  };
}
