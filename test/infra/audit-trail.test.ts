import { describe, expect, it } from 'vitest';
import { tables } from '#infra/resources.ts';
import { APPEND_ONLY_DENIED } from '#infra/stacks/stateful-stack.ts';
import { logicalIdOf, resourceById, resourcesOfType, synthesise } from '#test/infra/synth-fixture.ts';

/**
 * The audit trail on AWS (docs/access.md): its table keeps items ten years (TTL), its resource policy
 * denies every change to every principal, and no IAM policy in either stack can update or delete an
 * item of it: checked from the synthesized templates, every policy, not only our functions'.
 */
const app = synthesise('prod');
const auditId = logicalIdOf(app.stateful.tables.audit);
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe('the audit trail table', () => {
  it('expires items after the retention resources.ts sets, and denies every change to every principal', () => {
    const table = resourceById(app.statefulTemplate, auditId).Properties ?? {};
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(tables.audit.retention.days).toBeGreaterThanOrEqual(3650);
    const statements = (table.ResourcePolicy as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument
      .Statement;
    const deny = statements.find((s) => s.Effect === 'Deny');
    expect(JSON.stringify(deny)).toContain('"AWS":"*"');
    expect(list(deny?.Action ?? []).sort()).toEqual([...APPEND_ONLY_DENIED].sort());
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  it('no IAM policy in either stack may update, delete or batch-write its items', () => {
    const changes = /^dynamodb:(UpdateItem|DeleteItem|BatchWriteItem|PartiQL(Update|Delete|Insert)|\*)$|^\*$/;
    const offending: string[] = [];
    let onAudit = 0;
    for (const template of [app.statefulTemplate, app.processingTemplate]) {
      for (const [id, policy] of [
        ...resourcesOfType(template, 'AWS::IAM::Policy'),
        ...resourcesOfType(template, 'AWS::IAM::ManagedPolicy'),
      ]) {
        const doc = policy.Properties?.PolicyDocument as { Statement: Statement[] };
        for (const s of doc.Statement) {
          const resources = list(s.Resource).map((r) => JSON.stringify(r));
          const touches = resources.some((r) => r.includes(auditId) || r === '"*"');
          if (!touches || s.Effect !== 'Allow') continue;
          if (resources.some((r) => r.includes(auditId))) onAudit += 1;
          for (const a of list(s.Action)) if (changes.test(a)) offending.push(`${id}: ${a}`);
        }
      }
    }
    expect(offending).toEqual([]);
    // The trail is written (the console and finance APIs append to it): the check saw those grants.
    expect(onAudit).toBeGreaterThanOrEqual(2);
  });
});
