import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, ActivityExecuteInput, Next } from '@temporalio/worker';
import type { Context } from '@temporalio/activity';

/**
 * How often a running activity tells Temporal it is alive. The workflows' `heartbeatTimeout`
 * (workflows/request-steps.ts) is a few of these: when a worker dies with `kill -9`, Temporal
 * notices within that timeout and retries the activity on another worker, instead of waiting out
 * the whole start-to-close timeout. The SDK throttles what it actually sends, so a short interval
 * costs nothing.
 */
export const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Heartbeats every activity while it runs, so no activity has to remember to. Our activities are
 * short database, signing and SMTP steps that can still block (a held advisory lock, a slow SMTP
 * server); what matters is whether the process running them is alive, and that is what this says.
 */
class HeartbeatWhileRunning implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Context) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    // A local activity runs inside its workflow task and has no heartbeat: the workflow task's
    // own timeout brings it back when its worker dies.
    if (this.ctx.info.isLocal) return next(input);
    this.ctx.heartbeat();
    const timer = setInterval(() => this.ctx.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await next(input);
    } finally {
      clearInterval(timer);
    }
  }
}

/** The activity interceptors every License Desk worker runs with (worker/main.ts and the test workers). */
export const activityInterceptors: ActivityInterceptorsFactory[] = [(ctx) => ({ inbound: new HeartbeatWhileRunning(ctx) })];
