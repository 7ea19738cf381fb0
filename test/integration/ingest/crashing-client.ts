import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export class InjectedCrashError extends Error {
  override readonly name = 'InjectedCrashError';
}

/**
 * The same client, except that the `crashAfter`-th call to send() takes effect on the table and then
 * throws, as if the Lambda died before seeing the answer. Every later call throws too (the process is
 * gone), so nothing after the crash point can write.
 */
export const crashingClient = (ddb: DynamoDBDocumentClient, crashAfter: number) => {
  const state: { sends: number; crashed: boolean; crashedOn?: string } = { sends: 0, crashed: false };
  const client = new Proxy(ddb, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<DynamoDBDocumentClient['send']>) => {
        if (state.crashed) throw new InjectedCrashError('process already crashed');
        state.sends += 1;
        // Numbered before awaiting: parallel batch writes are in flight together.
        const n = state.sends;
        const out = await target.send(...args);
        if (n === crashAfter) {
          state.crashed = true;
          state.crashedOn = args[0].constructor.name;
          throw new InjectedCrashError(`crash injected after send #${crashAfter}`);
        }
        return out;
      };
    },
  });
  return { client, state };
};
