import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag v3 names a granular finding after the flattened CloudFormation value (e.g.
 * `Resource::arn:<AWS::Partition>:s3:::bucket/*`). This renders a value the same way, so an
 * acknowledgement names exactly the resource it excuses instead of a whole rule.
 */
export const flattenForNag = (scope: IConstruct, value: unknown): string => {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      const join = o['Fn::Join'];
      if (Array.isArray(join)) {
        const [delimiter, items] = join as [string, unknown[]];
        return items.map(visit).join(delimiter);
      }
      if ('Fn::Sub' in o) return visit(o['Fn::Sub']);
      const getAtt = o['Fn::GetAtt'];
      if (Array.isArray(getAtt)) return `<${visit(getAtt[0])}.${visit(getAtt[1])}>`;
      if ('Fn::ImportValue' in o) return visit(o['Fn::ImportValue']);
      if ('Ref' in o) return `<${visit(o.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
};

/** One place for acknowledgements, so every one of them carries a reason a reviewer can check. */
export const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id, reason });
};
