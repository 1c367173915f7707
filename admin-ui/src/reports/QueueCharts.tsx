import { Box, Typography } from '@mui/material';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { REQUEST_TYPE_LABELS, type RequestType } from '../common/labels.ts';
import type { QueueReport } from '../dataProvider.ts';

const short = (type: string) => REQUEST_TYPE_LABELS[type as RequestType]?.replace('confirmation', 'conf.').replace('replacement', 'repl.') ?? type;

const AGE_BANDS = ['< 1 day', '1–3 days', '3–7 days', '> 7 days'];

/** Open requests per type, stacked by age, as a chart that reads at a glance. */
export function OpenByAgeChart({ report }: { report: QueueReport }) {
  const data = report.open.map((o) => ({
    name: short(o.type),
    '< 1 day': o.under1Day,
    '1–3 days': o.days1To3,
    '3–7 days': o.days3To7,
    '> 7 days': o.over7Days,
  }));
  const total = report.open.reduce((s, o) => s + o.total, 0);
  return (
    <Box>
      <Box
        sx={{ width: '100%', height: 280 }}
        role="img"
        aria-label={`Open requests by type and age: ${report.open.map((o) => `${REQUEST_TYPE_LABELS[o.type as RequestType]} ${o.total}`).join(', ')}`}
      >
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 11, fill: '#3b4656' }} interval={0} angle={-20} textAnchor="end" height={50} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#3b4656' }} />
            <Tooltip />
            {/* Youngest to oldest, as the bars stack (the default sorts the labels alphabetically). */}
            <Legend itemSorter={(item) => AGE_BANDS.indexOf(String(item.value))} />
            <Bar isAnimationActive={false} dataKey="< 1 day" stackId="a" fill="#7fb3d5" />
            <Bar isAnimationActive={false} dataKey="1–3 days" stackId="a" fill="#1d4f7c" />
            <Bar isAnimationActive={false} dataKey="3–7 days" stackId="a" fill="#c27c0e" />
            <Bar isAnimationActive={false} dataKey="> 7 days" stackId="a" fill="#b3261e" />
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <Typography variant="caption" color="text.secondary">
        {total} open {total === 1 ? 'request' : 'requests'} in all, by age since submission.
      </Typography>
    </Box>
  );
}

export function DecisionTimeChart({ report }: { report: QueueReport }) {
  const data = report.timeToDecision.map((t) => ({
    name: short(t.type),
    'Median hours': t.medianHours === null ? 0 : Number(t.medianHours.toFixed(1)),
    decided: t.decided,
  }));
  return (
    <Box
      sx={{ width: '100%', height: 240 }}
      role="img"
      aria-label={`Median hours to decision: ${report.timeToDecision.map((t) => `${REQUEST_TYPE_LABELS[t.type as RequestType]} ${t.medianHours === null ? 'none decided' : t.medianHours.toFixed(1)}`).join(', ')}`}
    >
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tick={{ fontSize: 11, fill: '#3b4656' }} interval={0} angle={-20} textAnchor="end" height={50} />
          <YAxis tick={{ fontSize: 12, fill: '#3b4656' }} />
          <Tooltip />
          <Bar isAnimationActive={false} dataKey="Median hours" fill="#0b6e69" />
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}
