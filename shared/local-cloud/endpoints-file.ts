import { join } from 'node:path';

/**
 * What `local up` publishes so other processes (the CLI, the AWS CLI, SDK scripts) can find it. In a
 * module of its own so the CLI's reader (shared/cli/running-local-up.ts) does not load the runtime.
 */
export const endpointsFile = (dataDir: string): string => join(dataDir, 'endpoints.json');
