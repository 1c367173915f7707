import { Button, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { ReferenceManyField, SimpleList, useListContext, useTranslate, type RaRecord } from 'react-admin';
import { formatNumber } from './formats.ts';
import { Section } from './Section.tsx';

/**
 * A related list on a record's page: two-line rows, its count, and a link to the whole list.
 * `title` and `empty` are message keys (or words, shown as given).
 */
export function RelatedList(props: {
  title: string;
  titleArgs?: Record<string, unknown>;
  reference: string;
  target: string;
  sort: { field: string; order: 'ASC' | 'DESC' };
  filter?: Record<string, unknown>;
  seeAll: string;
  empty: string;
  primaryText: (r: RaRecord) => string;
  secondaryText?: (r: RaRecord) => string;
  linkType?: 'show' | false;
}) {
  const translate = useTranslate();
  return (
    <Section
      title={translate(props.title, { _: props.title, ...props.titleArgs })}
      action={
        <Button component={Link} to={props.seeAll} size="small">
          {translate('ld.related.see_all')}
        </Button>
      }
    >
      <ReferenceManyField reference={props.reference} target={props.target} sort={props.sort} filter={props.filter} perPage={5} pagination={<RelatedTotal />}>
        <SimpleList
          primaryText={props.primaryText}
          secondaryText={props.secondaryText}
          linkType={props.linkType ?? 'show'}
          empty={
            <Typography color="text.secondary" variant="body2">
              {translate(props.empty, { _: props.empty })}
            </Typography>
          }
          sx={{ '& .MuiListItemText-primary, & .MuiListItemText-secondary': { whiteSpace: 'normal', overflowWrap: 'anywhere' } }}
        />
      </ReferenceManyField>
    </Section>
  );
}

/** "5 of 12": how many the related list shows of how many there are. */
function RelatedTotal() {
  const { total, data } = useListContext();
  const translate = useTranslate();
  if (!total || !data || total <= data.length) return null;
  return (
    <Typography variant="caption" color="text.secondary">
      {translate('ld.related.shown', { count: formatNumber(data.length), total: formatNumber(total) })}
    </Typography>
  );
}
