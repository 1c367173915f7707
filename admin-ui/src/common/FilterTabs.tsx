import { Tab, Tabs } from '@mui/material';
import { useGetList, useListContext, useTranslate } from 'react-admin';
import { useSmallScreen } from './responsive.ts';

export interface FilterTab {
  id: string;
  /** Words, or a message key (translated). */
  label: string;
  /** The filter values this tab sets; the other filters stay. */
  filter: Record<string, unknown>;
}

function TabCount({ resource, filter }: { resource: string; filter: Record<string, unknown> }) {
  const { total, isPending, error } = useGetList(resource, { filter, pagination: { page: 1, perPage: 1 } });
  if (isPending || error || total === undefined) return null;
  return <CountText total={total} />;
}

function CountText({ total }: { total: number | undefined }) {
  const translate = useTranslate();
  if (total === undefined) return null;
  return <span aria-label={translate('ld.common.tab_count', { smart_count: total })}>&nbsp;({total})</span>;
}

/** The counts of all tabs from one answer (e.g. GET /api/requests/counts), given the filters other than the tabs'. */
export type TabCounts = (rest: Record<string, unknown>) => Record<string, number | undefined> | undefined;

/** A tab as a pill of its own words' width; the chosen one filled. */
const PILL = {
  minHeight: 30,
  minWidth: 0,
  maxWidth: 'none',
  px: 1.5,
  py: 0.25,
  border: 1,
  borderColor: 'divider',
  borderRadius: 4,
  textTransform: 'none',
  fontWeight: 500,
  fontSize: 13,
  '&.Mui-selected': { bgcolor: 'primary.main', borderColor: 'primary.main', color: 'primary.contrastText' },
} as const;

/**
 * Status tabs over a list, each with its count, as react-admin's demo does for orders. A tab
 * replaces the keys that any tab sets and keeps the rest of the filters (search, company…).
 */
export function FilterTabs({ tabs, resource, useCounts }: { tabs: FilterTab[]; resource: string; useCounts?: TabCounts }) {
  const { filterValues, setFilters, displayedFilters } = useListContext();
  const translate = useTranslate();
  const small = useSmallScreen();
  const tabKeys = new Set(tabs.flatMap((t) => Object.keys(t.filter)));
  const rest = Object.fromEntries(Object.entries(filterValues).filter(([k]) => !tabKeys.has(k)));
  // A hook given by the caller, the same one on every render: one request for all the tabs' counts.
  const counts = useCounts?.(rest);
  const current = tabs.find((t) => [...tabKeys].every((k) => JSON.stringify(filterValues[k]) === JSON.stringify(t.filter[k]))) ?? tabs[0]!;
  return (
    <Tabs
      value={current.id}
      onChange={(_, id: string) => setFilters({ ...rest, ...tabs.find((t) => t.id === id)!.filter }, displayedFilters)}
      // Wide screens: one row that scrolls. Phones and tablets: the tabs wrap into rows of compact
      // pills, so that every label reads whole ("Waiting for returned hardware (2)") instead of one
      // cut at the screen's edge.
      variant={small ? 'standard' : 'scrollable'}
      scrollButtons={small ? false : 'auto'}
      aria-label={translate('ld.common.status')}
      sx={
        small
          ? { borderBottom: 1, borderColor: 'divider', '& .MuiTabs-list': { flexWrap: 'wrap', gap: 0.5, p: 1 }, '& .MuiTabs-indicator': { display: 'none' } }
          : { borderBottom: 1, borderColor: 'divider', minHeight: 44 }
      }
    >
      {tabs.map((tab) => (
        <Tab
          key={tab.id}
          value={tab.id}
          sx={small ? PILL : { minHeight: 44, textTransform: 'none', fontWeight: 500 }}
          label={
            <span>
              {translate(tab.label)}
              {useCounts ? <CountText total={counts?.[tab.id]} /> : <TabCount resource={resource} filter={{ ...rest, ...tab.filter }} />}
            </span>
          }
        />
      ))}
    </Tabs>
  );
}
