/**
 * Why a function's role holds a permission that none of our code calls. The bundle test
 * (test/e2e/bundles) records every AWS call each synthesized function makes and fails on any grant
 * that is neither used nor listed here, and on any entry here that no longer explains an unused grant.
 * `action` and `pattern` are globs over the table in infra/README.md; `functions` (names) narrows.
 */
export type GrantReason = {
  readonly action: string;
  readonly pattern: string;
  readonly functions?: readonly string[];
  readonly reason: string;
};

export const unusedGrantReasons: readonly GrantReason[] = [];
