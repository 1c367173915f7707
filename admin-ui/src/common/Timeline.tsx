import { Box, Typography } from '@mui/material';
import { humanize } from './labels.ts';
import { formatDateTime } from './dates';

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
export function Timeline({ events, empty = 'Nothing has happened yet.' }: { events: TimelineEvent[]; empty?: string }) {
  if (!events?.length) return <Typography color="text.secondary">{empty}</Typography>;
  return (
    <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label="Timeline">
      {events.map((event, index) => (
        <Box component="li" key={event.id} sx={{ display: 'flex', gap: 1.5, pb: index === events.length - 1 ? 0 : 2, position: 'relative' }}>
          <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 0.75 }} aria-hidden>
            <Box sx={{ width: 10, height: 10, borderRadius: '50%', bgcolor: index === events.length - 1 ? 'primary.main' : '#8a96a8' }} />
            {index === events.length - 1 ? null : <Box sx={{ flex: 1, width: 2, bgcolor: '#d5dbe3', mt: 0.5 }} />}
          </Box>
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {humanize(event.action)}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="div">
              {formatDateTime(event.occurredAt)} · {event.actorName}
              {event.realActorName ? ` (by ${event.realActorName})` : ''}
            </Typography>
            {event.changes ? <Typography variant="body2">{event.changes}</Typography> : null}
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
