import { Alert, LinearProgress, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { API_URL } from '../dataProvider.ts';

interface Check {
  status: 'up' | 'down';
  error?: string;
  workers?: number;
  lastSeenAt?: string | null;
}
interface Health {
  status: 'ok' | 'degraded' | 'unavailable';
  checks: Record<string, Check>;
  /** What needs a person's attention without stopping requests, e.g. a calendar without holidays. */
  warnings?: string[];
}

const PART_NAMES: Record<string, string> = { database: 'The database', temporal: 'Temporal', smtp: 'The mail server', workers: 'The workers' };

/**
 * What /api/health says, for a desk admin: all well in one line, or which part is down and what
 * it means for requests. Polled every 30 seconds, so a worker that comes back shows without a reload.
 */
export function SystemHealth() {
  const health = useQuery({
    queryKey: ['health'],
    refetchInterval: 30_000,
    // 503 still carries the checks: read the body whatever the status.
    queryFn: async () => (await (await fetch(`${API_URL}/health`)).json()) as Health,
  });
  if (health.isPending) return <LinearProgress aria-label="Checking the system" />;
  if (health.error || !health.data) return <Alert severity="warning">The system's health could not be read.</Alert>;
  const { status, checks, warnings = [] } = health.data;
  return (
    <Stack spacing={1}>
      <StatusLine status={status} checks={checks} />
      {warnings.map((warning) => (
        <Alert key={warning} severity="warning">
          {warning}
        </Alert>
      ))}
    </Stack>
  );
}

function StatusLine({ status, checks }: Pick<Health, 'status' | 'checks'>) {
  if (status === 'ok') {
    const workers = checks.workers?.workers;
    return (
      <Alert severity="success">All parts are up{workers !== undefined ? `; ${workers} worker${workers === 1 ? '' : 's'} polling for requests` : ''}.</Alert>
    );
  }
  const down = Object.entries(checks).filter(([, check]) => check.status === 'down');
  return (
    <Alert severity={status === 'degraded' ? 'warning' : 'error'}>
      {status === 'degraded' ? 'Requests stand still: no worker is running. ' : 'A part of the system is down. '}
      {down.map(([name, check]) => `${PART_NAMES[name] ?? name}: ${check.error ?? 'down'}`).join(' ')}
    </Alert>
  );
}
