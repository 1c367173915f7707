import type { Client } from '@temporalio/client';
import { afterAll, beforeAll } from 'vitest';
import { lateBound } from './late-bound.ts';
import { startTimeSkippingWorld, type TimeSkippingWorld } from './request-harness.ts';

/** The time-skipping world with its client named as a request world's (`env.client`): waiting on a result lets its clock run. */
export type TimeSkippingRequestWorld = TimeSkippingWorld & { client: Client };

/**
 * A file's (or describe block's) request world on Temporal's time-skipping server: started before
 * its tests, stopped after them, read when a test runs, as useRequestWorld().
 */
export function useTimeSkippingWorld(options: { poolSize?: number } = {}): TimeSkippingRequestWorld {
  let world: TimeSkippingWorld | undefined;
  beforeAll(async () => {
    world = await startTimeSkippingWorld(options);
  });
  afterAll(() => world?.stop());
  const started = (): TimeSkippingRequestWorld => {
    if (!world) throw new Error('The time-skipping world is used before it started (outside a test or hook)');
    return { ...world, client: world.env.client };
  };
  return lateBound(started, ['env', 'client', 'prisma', 'worker', 'desk', 'stop']);
}
