import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Command } from 'commander';
import { Option } from 'commander';
import { type Principal, principalOf, ROLES, type Role } from '#shared/console/principal.ts';
import { LocalUserDirectory } from '#shared/local-cloud/local-users.ts';
import { governance } from '../governance.ts';
import { type ByOptions, operatorOf, withBy } from '../identity.ts';
import { type CommonOptions, withOutputOptions } from '../output.ts';
import { withTarget } from '../target.ts';
import { CliUsageError } from '../usage.ts';

/**
 * `sertakan user add --email E --name N --role treasurer|ops|finance --pools P[,P] [--agency A] --by ADMIN`:
 * an administrator adds a console user (docs/access.md, "Adding a user"). The role and scope are
 * checked by the same rules the console applies to a token (shared/console/principal.ts), so a user
 * who could never sign in is refused here. On AWS: Cognito AdminCreateUser (e-mail, name,
 * custom:pools, custom:agency; Cognito mails a temporary password) then AdminAddUserToGroup (the role),
 * in the user pool named by CONSOLE_USER_POOL_ID (the stack output ConsoleUserPoolId). Locally: the
 * local cloud's user directory, whose users `POST /dev/sign-in {"email"}` signs in.
 */

type UserOptions = CommonOptions &
  ByOptions & { email: string; name: string; role: Role; pools: string; agency?: string };

/** The would-be token's claims through the console's own rules: refused here rather than at sign-in. */
export function checkedScope(o: Pick<UserOptions, 'role' | 'pools' | 'agency' | 'email'>): Principal {
  try {
    return principalOf({
      sub: 'new-user',
      'cognito:groups': [o.role],
      'custom:pools': o.pools,
      ...(o.agency === undefined ? {} : { 'custom:agency': o.agency }),
      token_use: 'id',
    });
  } catch (err) {
    throw new CliUsageError(`--role/--pools/--agency: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function register(program: Command): void {
  const user = program.command('user').description('console users (administrators only)');
  withBy(
    withOutputOptions(
      user
        .command('add')
        .description('add a console user with a role and scope')
        .requiredOption('--email <email>', 'the user’s e-mail (their sign-in name)')
        .requiredOption('--name <name>', 'full name, as the audit trail shows it')
        .addOption(new Option('--role <role>', 'the role').choices([...ROLES]).makeOptionMandatory())
        .requiredOption(
          '--pools <codes>',
          'treasurer: exactly one pool; ops/finance: prefixes, e.g. 15.04,15.05',
        )
        .option('--agency <code>', 'treasurer only: the agency (OPD) code'),
    ),
  ).action(async (opts: UserOptions) => {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(opts.email))
      throw new CliUsageError('--email: expected an e-mail address');
    const scope = checkedScope(opts);
    const operator = await operatorOf(opts);
    await withTarget(
      opts,
      async (target) => {
        const g = governance(target, operator, opts);
        let id: string;
        if (target.kind === 'aws') {
          const poolId = process.env.CONSOLE_USER_POOL_ID;
          if (poolId === undefined || poolId === '')
            throw new CliUsageError(
              '--target aws: set CONSOLE_USER_POOL_ID (stack output ConsoleUserPoolId)',
            );
          const cognito = new CognitoIdentityProviderClient({});
          try {
            const created = await cognito.send(
              new AdminCreateUserCommand({
                UserPoolId: poolId,
                Username: opts.email,
                DesiredDeliveryMediums: ['EMAIL'],
                UserAttributes: [
                  { Name: 'email', Value: opts.email },
                  { Name: 'email_verified', Value: 'true' },
                  { Name: 'name', Value: opts.name },
                  { Name: 'custom:pools', Value: scope.pools.join(',') },
                  ...(scope.agency === undefined ? [] : [{ Name: 'custom:agency', Value: scope.agency }]),
                ],
              }),
            );
            await cognito.send(
              new AdminAddUserToGroupCommand({
                UserPoolId: poolId,
                Username: opts.email,
                GroupName: opts.role,
              }),
            );
            id = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? opts.email;
          } finally {
            cognito.destroy();
          }
        } else {
          const added = await new LocalUserDirectory({
            ddb: target.clients.ddb,
            tableName: target.names.tables.registry,
          }).add({
            email: opts.email,
            name: opts.name,
            role: opts.role,
            pools: [...scope.pools],
            ...(scope.agency === undefined ? {} : { agency: scope.agency }),
          });
          id = added.sub;
        }
        await g.record({
          kind: 'USER_ADDED',
          ...(scope.role === 'treasurer' ? { pool: scope.pools[0], agency: scope.agency } : {}),
          ref: id,
          detail: { email: opts.email, role: opts.role, pools: scope.pools.join(',') },
        });
        process.stdout.write(
          `Pengguna ditambahkan / user added: ${opts.name} <${opts.email}> ${opts.role} ${scope.pools.join(',')}${scope.agency === undefined ? '' : `/${scope.agency}`} (sub ${id})\n`,
        );
      },
      { readOnly: true },
    );
  });
}
