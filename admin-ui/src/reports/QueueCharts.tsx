import { Box, Typography } from '@mui/material';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslate } from 'react-admin';
import { useLabel } from '../common/labels.ts';
import { formatNumber } from '../common/formats.ts';
import type { QueueReport } from '../dataProvider.ts';

/** The age bands, youngest first: the keys of the report's counts, and of their words (ld.charts.*). */
const AGE_BANDS = ['under1Day', 'days1To3', 'days3To7', 'over7Days'] as const;
const AGE_COLOURS = ['#7fb3d5', '#1d4f7c', '#c27c0e', '#b3261e'];

/** What an empty chart says instead of showing bare axes. */
function NoData({ height, children }: { height: number; children: string }) {
  return (
    <Box
      data-testid="chart-no-data"
      sx={{
        height,
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        border: 1,
        borderColor: 'divider',
        borderStyle: 'dashed',
        borderRadius: 1,
      }}
    >
      <Typography color="text.secondary">{children}</Typography>
    </Box>
  );
}

/** A median in words that still read when it is short: "< 1 min", "12 min", "3.5 h". */
function durationText(hours: number) {
  if (hours < 1 / 60) return '< 1 min';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  return `${formatNumber(Number(hours.toFixed(1)))} h`;
}

/** Open requests per type, stacked by age, as a chart that reads at a glance. */
export function OpenByAgeChart({ report }: { report: QueueReport }) {
  const translate = useTranslate();
  const label = useLabel();
  const data = report.open.map((o) => ({
    name: label('request_type', o.type),
    under1Day: o.under1Day,
    days1To3: o.days1To3,
    days3To7: o.days3To7,
    over7Days: o.over7Days,
  }));
  const total = report.open.reduce((s, o) => s + o.total, 0);
  if (total === 0) return <NoData height={280}>{translate('ld.charts.no_open')}</NoData>;
  return (
    <Box>
      <Box
        sx={{ width: '100%', height: 280 }}
        role="img"
        aria-label={translate('ld.charts.open_by_age_label', {
          list: report.open.map((o) => `${label('request_type', o.type)} ${formatNumber(o.total)}`).join(', '),
        })}
      >
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, left: 12, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 11, fill: '#3b4656' }} interval={0} angle={-20} textAnchor="end" height={50} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#3b4656' }} tickFormatter={formatNumber} />
            <Tooltip formatter={(value) => formatNumber(value)} />
            {/* Youngest to oldest, as the bars stack (the default sorts the labels alphabetically). */}
            <Legend itemSorter={(item) => AGE_BANDS.indexOf(item.dataKey as (typeof AGE_BANDS)[number])} />
            {AGE_BANDS.map((band, i) => (
              <Bar key={band} isAnimationActive={false} dataKey={band} name={translate(`ld.charts.${band}`)} stackId="a" fill={AGE_COLOURS[i]} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <Typography variant="caption" color="text.secondary">
        {translate('ld.charts.open_total', { smart_count: total })}
      </Typography>
    </Box>
  );
}

export function DecisionTimeChart({ report }: { report: QueueReport }) {
  const translate = useTranslate();
  const label = useLabel();
  // Only the types with decisions: a bar of 0 would read as "decided at once". A median of
  // seconds still shows (minPointSize) and is written on its bar.
  const decided = report.timeToDecision.filter((t) => t.decided > 0 && t.medianHours !== null);
  if (decided.length === 0) return <NoData height={240}>{translate('ld.charts.no_decisions')}</NoData>;
  const data = decided.map((t) => ({
    name: label('request_type', t.type),
    medianHours: Number((t.medianHours ?? 0).toFixed(2)),
    median: durationText(t.medianHours ?? 0),
    decided: t.decided,
  }));
  return (
    <Box
      sx={{ width: '100%', height: 240 }}
      role="img"
      aria-label={translate('ld.charts.median_label', {
        list: report.timeToDecision
          .map(
            (t) =>
              `${label('request_type', t.type)} ${t.medianHours === null ? translate('ld.charts.none_decided') : formatNumber(Number(t.medianHours.toFixed(1)))}`,
          )
          .join(', '),
      })}
    >
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 20, right: 8, left: 12, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tick={{ fontSize: 11, fill: '#3b4656' }} interval={0} angle={-20} textAnchor="end" height={50} />
          <YAxis tick={{ fontSize: 12, fill: '#3b4656' }} tickFormatter={formatNumber} />
          <Tooltip formatter={(value) => formatNumber(value)} />
          <Bar isAnimationActive={false} dataKey="medianHours" name={translate('ld.charts.median_hours')} fill="#0b6e69" minPointSize={4}>
            <LabelList dataKey="median" position="top" style={{ fontSize: 12, fill: '#3b4656' }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}
