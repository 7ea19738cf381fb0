import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-support.ts';

/**
 * Four eyes and the audit trail at the CLI (docs/access.md), on one embedded local cloud (a data dir):
 * a guarded pool change asked by one person is refused to that same person, approved by a second, and
 * only then applied; every step is one audit record naming who; acting without `--by` is refused.
 */
const dir = mkdtempSync(join(tmpdir(), 'sertakan-four-eyes-'));
const at = ['--data-dir', join(dir, 'data')];
const POOL = '15.04.01.2009';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = <T>(text: string): T => JSON.parse(text) as T;

describe('four eyes at the CLI', () => {
  it('refuses the requester’s own approval; a second person’s is recorded, then the change runs', async () => {
    const add = await runCli('pool', 'add', POOL, '--by', 'Ana Lestari', ...at);
    expect(add.code, add.err).toBe(0);
    const ask = await runCli(
      'pool',
      'set',
      POOL,
      '--horizon',
      '6',
      '--reason',
      'dana desa turun',
      '--by',
      'Ana Lestari',
      '--format',
      'json',
      ...at,
    );
    expect(ask.code, ask.err).toBe(0);
    const { status, request } = json<{ status: string; request: { id: string } }>(ask.out);
    expect(status).toBe('PENDING_APPROVAL');
    const self = await runCli('change', 'approve', request.id, '--by', 'Ana Lestari', ...at);
    expect(self.code).toBe(1);
    expect(self.err).toContain('SELF_APPROVAL');
    const pending = await runCli('change', 'list', '--by', 'Budi', '--format', 'json', ...at);
    expect(json<{ id: string }[]>(pending.out).map((r) => r.id)).toEqual([request.id]);

    const approve = await runCli('change', 'approve', request.id, '--by', 'Budi Hartono', ...at);
    expect(approve.code, approve.err).toBe(0);
    const after = json<{ horizonMonths: number }>(
      (await runCli('pool', 'show', POOL, '--format', 'json', ...at)).out,
    );
    expect(after.horizonMonths).toBe(6);
    const trail = json<{ kind: string; actor: { name: string }; ref?: string; pool?: string; via: string }[]>(
      (await runCli('audit', '--pool', '15.04', '--format', 'json', ...at)).out,
    );
    expect(trail.map((r) => [r.kind, r.actor.name])).toEqual([
      ['POOL_ADDED', 'Ana Lestari'],
      ['CHANGE_REQUESTED', 'Ana Lestari'],
      ['CHANGE_APPROVED', 'Budi Hartono'],
      ['POOL_CHANGED', 'Budi Hartono'],
    ]);
    expect(trail.every((r) => r.pool === POOL && r.via === 'cli')).toBe(true);
    const table = await runCli('audit', '--person', 'Budi Hartono', ...at);
    expect(table.out).toContain('POOL_CHANGED');
    expect(table.out).toContain('requestedBy=Ana Lestari (operator *)');
  });

  it('refuses to act without --by locally: nobody acts anonymously', async () => {
    const anonymous = await runCli('pool', 'add', '15.04.01.2010', ...at);
    expect(anonymous.code).toBe(1);
    expect(anonymous.err).toContain('--by');
    const user = await runCli(
      'user',
      'add',
      '--email',
      'x@example.id',
      '--name',
      'X',
      '--role',
      'treasurer',
      '--pools',
      '15',
      ...at,
    );
    expect(user.code).toBe(1);
    expect(user.err).toContain('--agency');
  });

  it('adds a console user with a checked scope, recorded', async () => {
    const added = await runCli(
      'user',
      'add',
      '--email',
      'rahmat@dinkes.example',
      '--name',
      'Rahmat',
      '--role',
      'treasurer',
      '--pools',
      '15.04',
      '--agency',
      'DINKES',
      '--by',
      'Admin Provinsi',
      ...at,
    );
    expect(added.code, added.err).toBe(0);
    const trail = json<{ kind: string; actor: { name: string }; detail: Record<string, string> }[]>(
      (await runCli('audit', '--kind', 'USER_ADDED', '--format', 'json', ...at)).out,
    );
    expect(trail).toEqual([
      expect.objectContaining({
        kind: 'USER_ADDED',
        actor: expect.objectContaining({ name: 'Admin Provinsi' }),
        detail: expect.objectContaining({ email: 'rahmat@dinkes.example', role: 'treasurer' }),
      }),
    ]);
  });
});
