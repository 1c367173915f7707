/** One line of the benchmark table: a figure and its baseline, measured in the same run. */
export interface BenchLine {
  measurement: string;
  figure: string;
  baseline: string;
  /** figure ÷ baseline (or the other way round for latencies), when that reads usefully. */
  ratio?: string;
  goal?: string;
  /** Undefined when the line has no goal. */
  met?: boolean;
}

const HEADERS = ['Measurement', 'Figure', 'Baseline (same run)', 'Ratio', 'Goal', 'Result'] as const;

/** A plain-text table (monospace, `|` separated), the same in a terminal and pasted in Markdown. */
export function formatTable(lines: BenchLine[]): string {
  const cells = lines.map((l) => [l.measurement, l.figure, l.baseline, l.ratio ?? '', l.goal ?? '', l.met === undefined ? '' : l.met ? 'met' : 'MISSED']);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const row = (values: readonly string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [row(HEADERS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(row)].join('\n');
}

export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
export const perSecond = (value: number, unit: string) => `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)} ${unit}/s`;
export const times = (value: number) => `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;
