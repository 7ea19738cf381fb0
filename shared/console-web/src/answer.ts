import type * as z from 'zod/mini';

/**
 * An API answer checked against its schema (shared/console/responses.ts) before a page reads it. Apart
 * from the DOM, so the check is tested in Node as the browser runs it.
 */

/** An answer that does not have the shape its schema says: the page shows a sentence, not the data. */
export class ResponseShapeError extends Error {
  constructor(
    readonly path: string,
    readonly issues: readonly string[],
  ) {
    super(`answer of ${path} does not match its schema: ${issues.join('; ')}`);
  }
}

/** The body as the schema's output type, or a ResponseShapeError naming the first few misfits. */
export function parseAnswer<S extends z.ZodMiniType>(path: string, body: unknown, schema: S): z.output<S> {
  const out = schema.safeParse(body);
  if (out.success) return out.data;
  throw new ResponseShapeError(
    path,
    out.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  );
}
