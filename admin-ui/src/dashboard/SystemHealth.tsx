import { Alert, LinearProgress, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useTranslate } from 'react-admin';
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

/**
 * What /api/health says, for a desk admin: all well in one line, or which part is down and what
 * it means for requests. Polled every 30 seconds, so a worker that comes back shows without a reload.
 */
export function SystemHealth() {
  const translate = useTranslate();
  const health = useQuery({
    queryKey: ['health'],
    refetchInterval: 30_000,
    // 503 still carries the checks: read the body whatever the status.
    queryFn: async () => (await (await fetch(`${API_URL}/health`)).json()) as Health,
  });
  if (health.isPending) return <LinearProgress aria-label={translate('ld.dashboard.health_checking')} />;
  if (health.error || !health.data) return <Alert severity="warning">{translate('ld.dashboard.health_unreadable')}</Alert>;
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
  const translate = useTranslate();
  if (status === 'ok') {
    const workers = checks.workers?.workers;
    return (
      <Alert severity="success">
        {workers !== undefined ? translate('ld.dashboard.health_ok_workers', { smart_count: workers }) : translate('ld.dashboard.health_ok')}
      </Alert>
    );
  }
  const down = Object.entries(checks).filter(([, check]) => check.status === 'down');
  return (
    <Alert severity={status === 'degraded' ? 'warning' : 'error'}>
      {translate(status === 'degraded' ? 'ld.dashboard.health_degraded' : 'ld.dashboard.health_down')}{' '}
      {down.map(([name, check]) => `${translate(`ld.dashboard.part_${name}`, { _: name })}: ${check.error ?? translate('ld.dashboard.down')}`).join(' ')}
    </Alert>
  );
}
