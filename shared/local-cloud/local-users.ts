import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError } from '#domain/errors.ts';
import { putIfAbsent } from '#shared/adapters/dynamodb-support.ts';
import { ROLES } from '#shared/console/principal.ts';

/**
 * The local cloud's user directory (docs/access.md, "Adding a user"): what Cognito holds on AWS, for
 * the development issuer. `sertakan user add` writes a user here (`pk = USER`, `sk = <e-mail>` in the
 * registry table, once); `POST /dev/sign-in {"email"}` then issues that user's ID token with the role
 * and scope written here, so the local token path reads scope an administrator wrote, as on AWS.
 */

export const localUserSchema = z.object({
  email: z.email(),
  name: z.string().min(1).max(200),
  sub: z.string(),
  role: z.enum(ROLES),
  pools: z.array(z.string()).min(1),
  agency: z.string().optional(),
});
export type LocalUser = z.infer<typeof localUserSchema>;

export class LocalUserDirectory {
  constructor(private readonly opts: { ddb: DynamoDBDocumentClient; tableName: string }) {}

  /** Adds a user once; a second add of the same e-mail is a ConflictError (USER_EXISTS). */
  async add(u: Omit<LocalUser, 'sub'>): Promise<LocalUser> {
    const user = { ...u, sub: randomUUID() };
    const item = { pk: 'USER', sk: u.email.toLowerCase(), ...JSON.parse(JSON.stringify(user)) };
    if (!(await putIfAbsent(this.opts.ddb, this.opts.tableName, item, undefined)))
      throw new ConflictError(`user ${u.email} exists already`, { code: 'USER_EXISTS' });
    return user;
  }

  async get(email: string): Promise<LocalUser | undefined> {
    const out = await this.opts.ddb.send(
      new GetCommand({ TableName: this.opts.tableName, Key: { pk: 'USER', sk: email.toLowerCase() } }),
    );
    return out.Item === undefined ? undefined : localUserSchema.parse(out.Item);
  }
}
