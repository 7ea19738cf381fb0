import { z } from 'zod';
import { ACTOR_ROLES, type Actor, GRANTS } from '#domain/access.ts';

/** An {@link Actor} as the audit trail and the change requests store it (who did or asked for something). */
export const actorSchema: z.ZodType<Actor> = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  role: z.enum(ACTOR_ROLES),
  pools: z.array(z.string()),
  agency: z.string().optional(),
  grants: z.array(z.enum(GRANTS)).optional(),
});
