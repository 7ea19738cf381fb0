import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { cacheUntilStackChanges } from './middleware-cache.ts';

/**
 * The DynamoDB document client, with its commands sent through a plain DynamoDBClient whose middleware
 * chain is resolved once per command class (`cacheMiddleware`). lib-dynamodb's own client rebuilds the
 * chain on every send, because each of its commands adds its (un)marshalling middleware per instance;
 * that costs about a fifth of the CPU of a small call (docs/cli-startup.md#one-request). Here the
 * (un)marshalling happens around the send instead, walking the same key nodes each command declares,
 * so every command, its input and its output are exactly lib-dynamodb's.
 */

/** lib-dynamodb's description of which members of an input or output hold attribute values. */
type KeyNodes = { readonly [member: string]: KeyNodes } | null | undefined;

/** The members of a lib-dynamodb command this client needs (protected in its typings). */
type DocumentCommand = {
  readonly input: object;
  readonly inputKeyNodes: KeyNodes;
  readonly outputKeyNodes: KeyNodes;
  readonly clientCommand: { constructor: new (input: object) => unknown };
};

const isDocumentCommand = (c: unknown): c is DocumentCommand =>
  typeof c === 'object' &&
  c !== null &&
  'clientCommand' in c &&
  'inputKeyNodes' in c &&
  'outputKeyNodes' in c;

type Convert = (value: unknown) => unknown;

/** lib-dynamodb's walk (its processObj): `*` descends into every member, `{}` converts every member. */
const walk = (value: unknown, convert: Convert, nodes: KeyNodes): unknown => {
  if (value === undefined) return undefined;
  if (nodes === null || nodes === undefined) return convert(value);
  const keys = Object.keys(nodes);
  if (keys.length === 1 && keys[0] === '*') {
    const next = nodes['*'];
    const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
    for (const [k, v] of Object.entries((value ?? {}) as object))
      if (typeof v !== 'function') (out as Record<string, unknown>)[k] = walk(v, convert, next);
    return out;
  }
  if (keys.length === 0) {
    if (Array.isArray(value))
      return value.filter((v) => typeof v !== 'function').map((v) => (v === undefined ? v : convert(v)));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as object)) {
      if (typeof v === 'function') continue;
      const converted = v === undefined ? undefined : convert(v);
      if (converted !== undefined && typeof converted !== 'function') out[k] = converted;
    }
    return out;
  }
  return convertMembers(value as object, convert, nodes);
};

/** lib-dynamodb's processKeysInObj: a copy of the object with the named members converted. */
const convertMembers = (value: object, convert: Convert, nodes: { readonly [m: string]: KeyNodes }) => {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? value.filter((v) => typeof v !== 'function')
    : Object.fromEntries(Object.entries(source).filter(([, v]) => typeof v !== 'function'));
  for (const [member, next] of Object.entries(nodes)) {
    if (typeof source[member] === 'function') continue;
    const converted = walk(source[member], convert, next);
    if (converted !== undefined && typeof converted !== 'function')
      (out as Record<string, unknown>)[member] = converted;
  }
  return out;
};

/**
 * A DynamoDBDocumentClient for `config`, and `raw`, the middleware-caching DynamoDBClient that carries
 * all its traffic: lib-dynamodb commands are (un)marshalled around `raw.send`; anything else (a raw
 * command, a send with options or a callback) goes the document client's own way, on the same stack.
 * The two share one middleware stack, so a middleware added to either (call log, meter) sees every
 * call. lib-dynamodb refuses a caching client, so it is built over a plain one that sends nothing.
 */
export function makeDocumentClient(
  config: DynamoDBClientConfig,
  translate: TranslateConfig,
): { readonly ddb: DynamoDBDocumentClient; readonly raw: DynamoDBClient } {
  const holder = new DynamoDBClient(config);
  const raw = cacheUntilStackChanges(new DynamoDBClient({ ...config, cacheMiddleware: true }));
  const ddb = DynamoDBDocumentClient.from(holder, translate);
  ddb.middlewareStack = raw.middlewareStack as unknown as typeof ddb.middlewareStack;
  const toAttributes: Convert = (v) =>
    marshall(v as Parameters<typeof marshall>[0], {
      convertTopLevelContainer: true,
      ...translate.marshallOptions,
    });
  const fromAttributes: Convert = (v) =>
    unmarshall(v as Parameters<typeof unmarshall>[0], {
      convertWithoutMapWrapper: true,
      ...translate.unmarshallOptions,
    });
  const ownSend = ddb.send.bind(ddb) as (...args: unknown[]) => Promise<unknown>;
  const send = async (...args: unknown[]): Promise<unknown> => {
    const [command] = args;
    if (args.length !== 1 || !isDocumentCommand(command)) return ownSend(...args);
    const BaseCommand = command.clientCommand.constructor;
    const input = convertMembers(command.input, toAttributes, command.inputKeyNodes ?? {});
    const output = await raw.send(new BaseCommand(input as object) as never);
    return convertMembers(output as object, fromAttributes, command.outputKeyNodes ?? {});
  };
  Object.assign(ddb, { send });
  Object.assign(ddb, {
    destroy: () => {
      holder.destroy();
      raw.destroy();
    },
  });
  return { ddb, raw };
}
