import { Box, Typography } from '@mui/material';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RaRecord } from 'react-admin';

/** Available, reserved and consumed channels per product, stacked to the total. */
export function StockChart({ rows }: { rows: RaRecord[] }) {
  if (rows.length === 0) return null;
  const data = rows.map((r) => ({
    name: (r.productName as string) ?? (r.productCode as string),
    Available: r.available as number,
    Reserved: r.reserved as number,
    Consumed: r.consumed as number,
  }));
  return (
    <Box sx={{ width: '100%', height: 260 }} role="img" aria-label={`Stock per product: ${data.map((d) => `${d.name} ${d.Available} available`).join(', ')}`}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tick={{ fontSize: 12, fill: '#3b4656' }} interval={0} />
          <YAxis tick={{ fontSize: 12, fill: '#3b4656' }} allowDecimals={false} />
          <Tooltip />
          {/* In stacking order, as the caption reads (the default sorts the labels alphabetically). */}
          <Legend itemSorter={(item) => ['Available', 'Reserved', 'Consumed'].indexOf(String(item.value))} />
          <Bar isAnimationActive={false} dataKey="Available" stackId="s" fill="#1d4f7c" />
          <Bar isAnimationActive={false} dataKey="Reserved" stackId="s" fill="#c27c0e" />
          <Bar isAnimationActive={false} dataKey="Consumed" stackId="s" fill="#9aa7b8" />
        </BarChart>
      </ResponsiveContainer>
      <Typography variant="caption" color="text.secondary">
        Channels per product: available, reserved for open requests, and consumed by licenses.
      </Typography>
    </Box>
  );
}
