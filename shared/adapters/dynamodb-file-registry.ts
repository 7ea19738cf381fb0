/**
 * FileRegistry on the registry table (infra/resources.ts `registry`):
 * - file version `pk='FILE#<fileId>', sk='FILE'` {kind, key, pool, period?, agency?, contentHash,
 *   status, counts, amounts, sheet?, footerLine?, footerRows?, reportKey, snapshotKey?, supersedes?, supersededBy?, receivedAt,
 *   processedAt?, gsi1pk=`FILES#<pool>#<period or kind>`, gsi1sk=`<agency>#<receivedAt>`} so finance can
 *   list a pool's files per period;
 * - head of an agency+period `pk='FILEHEAD#<pool>#<period>', sk=<agency>` {activeFileId, contentHash,
 *   version}, written only with a condition on the version read (ConditionalCheckFailed -> ConflictError);
 * - first file of a content `pk='CONTENT#<pool>#<kind>', sk=<sha256>` {fileId, receivedAt}, a conditional
 *   put: a later file with the same bytes is a DUPLICATE of that one;
 * - a held version's marker `pk='HELD#<pool>', sk='<pending.expiresAt>#<fileId>'` {fileId}, written before
 *   the version's item says PENDING_CONFIRMATION and never removed: the daily sweep reads the markers of
 *   the windows that just ended (one Query) and judges each version as it stands.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#domain/errors.ts';
import type { AgencyCode, FileKind, Period, PoolCode } from '#domain/model.ts';
import type { FileDecision, FileHead, FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';
import { queryAll, translateDynamoDbError } from './dynamodb-support.ts';
import {
  contentItemSchema,
  fileItemSchema,
  fileKey,
  headItemSchema,
  headKey,
  heldItemSchema,
  heldKey,
} from './file-registry-items.ts';

/** Conditional-write failures become ConflictError, throttling TransientError; the rest is rethrown. */
export function translateRegistryError(error: unknown, operation: string): unknown {
  if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
    return new ConflictError(`${operation}: condition failed`, { cause: error });
  }
  return translateDynamoDbError(error, operation);
}

export class DynamoDbFileRegistry implements FileRegistry {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(opts: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
  }

  async getFile(fileId: string): Promise<FileVersion | undefined> {
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: fileKey(fileId), ConsistentRead: true }),
      );
      return out.Item === undefined ? undefined : stripUndefined(fileItemSchema.parse(out.Item));
    } catch (error) {
      throw translateRegistryError(error, 'GetItem file');
    }
  }

  async putFile(file: FileVersion): Promise<void> {
    // The marker first: a crash between the two leaves a marker of a version not held, which the sweep
    // reads and passes over, never a held version without one.
    if (file.status === 'PENDING_CONFIRMATION' && file.pending !== undefined) {
      try {
        await this.#ddb.send(
          new PutCommand({
            TableName: this.#table,
            Item: { ...heldKey(file.pool, file.pending.expiresAt, file.fileId), fileId: file.fileId },
          }),
        );
      } catch (error) {
        throw translateRegistryError(error, 'PutItem held marker');
      }
    }
    const item = {
      ...fileKey(file.fileId),
      ...file,
      gsi1pk: `FILES#${file.pool}#${file.period ?? file.kind}`,
      gsi1sk: `${file.agency ?? ''}#${file.receivedAt}`,
    };
    try {
      await this.#ddb.send(new PutCommand({ TableName: this.#table, Item: item }));
    } catch (error) {
      throw translateRegistryError(error, 'PutItem file');
    }
  }

  async markSuperseded(fileId: string, supersededBy: string, at: Date): Promise<void> {
    try {
      await this.#ddb.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: fileKey(fileId),
          UpdateExpression: 'SET #status = :superseded, supersededBy = :by, supersededAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':superseded': 'SUPERSEDED',
            ':by': supersededBy,
            ':at': at.toISOString(),
          },
        }),
      );
    } catch (error) {
      throw translateRegistryError(error, 'UpdateItem supersede');
    }
  }

  async claimContent(
    pool: PoolCode,
    kind: FileKind,
    contentHash: string,
    owner: { readonly fileId: string; readonly receivedAt: string },
  ): Promise<{ readonly fileId: string; readonly receivedAt: string }> {
    const key = { pk: `CONTENT#${pool}#${kind}`, sk: contentHash };
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...key, fileId: owner.fileId, receivedAt: owner.receivedAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { fileId: owner.fileId, receivedAt: owner.receivedAt };
    } catch (error) {
      const translated = translateRegistryError(error, 'PutItem content');
      if (!(translated instanceof ConflictError)) throw translated;
    }
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }),
      );
      return contentItemSchema.parse(out.Item);
    } catch (error) {
      throw translateRegistryError(error, 'GetItem content');
    }
  }

  async decide(fileId: string, decision: FileDecision): Promise<void> {
    const settles = decision.action !== 'CONFIRMED';
    try {
      await this.#ddb.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: fileKey(fileId),
          UpdateExpression: settles ? 'SET decision = :d, #status = :s' : 'SET decision = :d',
          ConditionExpression: '#status = :pending AND attribute_not_exists(decision)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':d': decision,
            ':pending': 'PENDING_CONFIRMATION',
            ...(settles ? { ':s': decision.action } : {}),
          },
        }),
      );
    } catch (error) {
      throw translateRegistryError(error, 'UpdateItem decision');
    }
  }

  async listFiles(pool: PoolCode, periodOrKind: Period | FileKind): Promise<FileVersion[]> {
    const items = await queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `FILES#${pool}#${periodOrKind}` },
      },
      { operation: 'Query files' },
    );
    const files = items.map((item) => stripUndefined(fileItemSchema.parse(item)));
    return files.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  async listHeldExpiring(pool: PoolCode, from: string, to: string): Promise<FileVersion[]> {
    const markers = await queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        // '~' sorts after every fileId character, so a window ending exactly at `to` is included.
        ExpressionAttributeValues: { ':pk': `HELD#${pool}`, ':from': from, ':to': `${to}#~` },
      },
      { operation: 'Query held versions' },
    );
    const ids = markers.map((m) => heldItemSchema.parse(m).fileId);
    const files = await Promise.all(ids.map((id) => this.getFile(id)));
    return files.filter((f): f is FileVersion => f !== undefined);
  }

  async getHead(pool: PoolCode, period: Period, agency: AgencyCode): Promise<FileHead | undefined> {
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: headKey(pool, period, agency), ConsistentRead: true }),
      );
      return out.Item === undefined ? undefined : headItemSchema.parse(out.Item);
    } catch (error) {
      throw translateRegistryError(error, 'GetItem head');
    }
  }

  async advanceHead(next: Omit<FileHead, 'version'>, expectedVersion: number | undefined): Promise<FileHead> {
    const head: FileHead = { ...next, version: (expectedVersion ?? 0) + 1 };
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...headKey(next.pool, next.period, next.agency), ...head },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
      return head;
    } catch (error) {
      throw translateRegistryError(error, 'PutItem head');
    }
  }
}

/** zod keeps optional keys present as undefined only if they were; make that explicit for exactOptional types. */
function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
