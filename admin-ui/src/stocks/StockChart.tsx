import { Box, Typography } from '@mui/material';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslate, type RaRecord } from 'react-admin';
import { formatNumber } from '../common/formats.ts';

const PARTS = ['available', 'reserved', 'consumed'] as const;
const COLOURS = ['#1d4f7c', '#c27c0e', '#9aa7b8'];

/** Available, reserved and consumed channels per product, stacked to the total. */
export function StockChart({ rows }: { rows: RaRecord[] }) {
  const translate = useTranslate();
  if (rows.length === 0) return null;
  const data = rows.map((r) => ({
    name: (r.productName as string) ?? (r.productCode as string),
    available: r.available as number,
    reserved: r.reserved as number,
    consumed: r.consumed as number,
  }));
  // The caption below the chart's own 260 px, not inside them: it wraps to two lines on a phone (in
  // Finnish also on a desktop's card), and inside the fixed height its last line was cut off.
  return (
    <Box sx={{ width: '100%' }}>
      <Box
        sx={{ width: '100%', height: 260 }}
        role="img"
        aria-label={translate('ld.charts.stock_label', {
          list: data.map((d) => translate('ld.charts.stock_available', { name: d.name, count: formatNumber(d.available) })).join(', '),
        })}
      >
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 12, fill: '#3b4656' }} interval={0} />
            <YAxis tick={{ fontSize: 12, fill: '#3b4656' }} allowDecimals={false} tickFormatter={formatNumber} />
            <Tooltip formatter={(value) => formatNumber(value)} />
            {/* In stacking order, as the caption reads (the default sorts the labels alphabetically). */}
            <Legend itemSorter={(item) => PARTS.indexOf(item.dataKey as (typeof PARTS)[number])} />
            {PARTS.map((part, i) => (
              <Bar key={part} isAnimationActive={false} dataKey={part} name={translate(`ld.charts.${part}`)} stackId="s" fill={COLOURS[i]} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <Typography variant="caption" color="text.secondary" component="p">
        {translate('ld.charts.stock_caption')}
      </Typography>
    </Box>
  );
}
