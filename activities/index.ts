import type { PrismaClient } from '../prisma/client.ts';

export interface ActivityDeps {
  prisma: PrismaClient;
  smtpUrl: string;
  mailFrom: string;
}

/**
 * Builds the activities the worker registers, closed over their dependencies
 * (`createActivities(deps)`, as in Temporal's dependency-injection sample).
 */
export function createActivities(_deps: ActivityDeps) {
  return {};
}
