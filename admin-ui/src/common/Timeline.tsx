import { Box, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { canonicalMacsIn } from '../../../domain/mac-address.ts';
import { useLabel } from './labels.ts';
import { formatDateTime } from './formats.ts';

export interface TimelineEvent {
  id: string;
  occurredAt: string;
  action: string;
  actorName: string;
  realActorName?: string | null;
  changes?: string | null;
  comment?: string | null;
}

/** A request's or license's history, oldest first, one dot per event. */
export function Timeline({ events, empty }: { events: TimelineEvent[]; empty?: string }) {
  const translate = useTranslate();
  const label = useLabel();
  if (!events?.length) return <Typography color="text.secondary">{empty ?? translate('ld.timeline.empty')}</Typography>;
  return (
    <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label={translate('ld.timeline.label')}>
      {events.map((event, index) => (
        <Box component="li" key={event.id} sx={{ display: 'flex', gap: 1.5, pb: index === events.length - 1 ? 0 : 2, position: 'relative' }}>
          <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 0.75 }} aria-hidden>
            <Box sx={{ width: 10, height: 10, borderRadius: '50%', bgcolor: index === events.length - 1 ? 'primary.main' : '#8a96a8' }} />
            {index === events.length - 1 ? null : <Box sx={{ flex: 1, width: 2, bgcolor: '#d5dbe3', mt: 0.5 }} />}
          </Box>
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {label('event', event.action)}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="div">
              {formatDateTime(event.occurredAt)} · {event.actorName}
              {event.realActorName ? ` ${translate('ld.common.by', { name: event.realActorName })}` : ''}
            </Typography>
            {event.changes ? <Typography variant="body2">{canonicalMacsIn(event.changes)}</Typography> : null}
            {event.comment ? (
              <Typography variant="body2" sx={{ fontStyle: 'italic', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                “{event.comment}”
              </Typography>
            ) : null}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
