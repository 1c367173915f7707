import { Alert, Box, Link as MuiLink, List as MuiList, ListItem, ListItemText, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import AttachIcon from '@mui/icons-material/AttachFile';
import { Link } from 'react-router-dom';
import { Show, useGetOne, useRecordContext, useShowContext, type RaRecord } from 'react-admin';
import { CLOSED_STATUSES, REQUEST_TYPE_LABELS, formatBytes, humanize, requestReference, type RequestType } from '../common/labels.ts';
import { Facts, Section } from '../common/Section.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import { Timeline, type TimelineEvent } from '../common/Timeline.tsx';
import { useMe } from '../common/useMe.ts';
import { PayloadView } from './payload.tsx';
import { DecisionContext } from './DecisionContext.tsx';
import { RequestActions } from './RequestActions.tsx';
import { formatDateTime } from '../common/dates';

function RequestTitle() {
  const record = useRecordContext();
  if (!record) return null;
  return <>{`${requestReference(record.number as number)} · ${REQUEST_TYPE_LABELS[record.type as RequestType] ?? record.type}`}</>;
}

/** The run in Temporal's Web UI, for the desk (a partner has no access to it). */
function temporalLink(workflowId: string, me?: { temporalUiUrl?: string; temporalNamespace?: string }) {
  const base = me?.temporalUiUrl ?? `${window.location.protocol}//${window.location.hostname}:8233`;
  const namespace = me?.temporalNamespace ?? 'default';
  return `${base.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The license the request made or changed, by its serial. */
function LicenseLink({ id }: { id: string }) {
  const { data } = useGetOne('licenses', { id });
  return <Link to={`/licenses/${id}/show`}>{(data?.serial as string) ?? 'Open the license'}</Link>;
}

interface Attachment {
  id: string;
  kind: string;
  fileName: string;
  size: number;
  createdAt: string;
}
interface Comment {
  id: string;
  body?: string;
  message?: string;
  authorName?: string;
  createdAt?: string;
}

function RequestDetail() {
  const record = useRecordContext();
  const { me, isDesk } = useMe();
  const { error } = useShowContext();
  if (error) return null;
  if (!record) return null;
  const attachments = (record.attachments as Attachment[] | undefined) ?? [];
  const comments = Array.isArray(record.comments) ? (record.comments as Comment[]) : [];
  const formComment = typeof record.comments === 'string' ? record.comments : undefined;
  const timeline = (record.timeline as TimelineEvent[] | undefined) ?? [];
  const lastRefusal = [...timeline].reverse().find((e) => ['request_rejected', 'request_failed', 'information_requested'].includes(e.action));
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, alignItems: 'start', mt: 1 }}>
      <Box sx={{ minWidth: 0 }}>
        <Section title="Request" action={<StatusChip />}>
          {record.status === 'WAITING_FOR_PARTNER' && lastRefusal?.comment && !isDesk ? (
            <Alert severity="warning" sx={{ mb: 2 }}>
              The desk asks: “{lastRefusal.comment}”
            </Alert>
          ) : null}
          {record.status === 'WAITING_FOR_CONSENT' && !isDesk ? (
            <Alert severity="info" sx={{ mb: 2 }}>
              The current owner's admin must consent before the desk decides.
            </Alert>
          ) : null}
          {record.status === 'REJECTED' && lastRefusal?.comment ? (
            <Alert severity="error" sx={{ mb: 2 }}>
              Rejected: {lastRefusal.comment}
            </Alert>
          ) : null}
          <Facts
            items={[
              ['Reference', requestReference(record.number as number)],
              ['Type', REQUEST_TYPE_LABELS[record.type as RequestType] ?? (record.type as string)],
              ['Company', (record.companyName as string) ?? '—'],
              ['Requested by', (record.requesterName as string) ?? '—'],
              ['Submitted', formatDateTime(record.submittedAt ?? record.createdAt)],
              ...(isDesk
                ? ([
                    ['Due (SLA)', formatDateTime(record.dueAt)],
                    ['Assignee', (record.assigneeName as string) ?? (record.assigneeId ? 'Assigned' : 'Nobody')],
                  ] as Array<[string, string]>)
                : []),
              ['Decided', formatDateTime(record.decidedAt)],
              ['Completed', formatDateTime(record.completedAt)],
              ...(record.licenseId ? ([['License', <LicenseLink key="l" id={record.licenseId as string} />]] as Array<[string, React.ReactNode]>) : []),
            ]}
          />
          <Box sx={{ mt: 2 }}>
            <DecisionContext />
            <RequestActions />
          </Box>
        </Section>
        <Section title="Details">
          <PayloadView payload={record.payload as Record<string, unknown>} licenseId={record.licenseId as string | undefined} />
        </Section>
        <Section title="Attachments">
          {attachments.length === 0 ? (
            <Typography color="text.secondary">No files are attached.</Typography>
          ) : (
            <MuiList dense disablePadding>
              {attachments.map((a) => (
                <ListItem key={a.id} disableGutters>
                  <AttachIcon sx={{ mr: 1, color: 'text.secondary' }} aria-hidden />
                  <ListItemText
                    primary={
                      <MuiLink href={`/api/requests/${record.id}/attachments/${a.id}`} download={a.fileName}>
                        {a.fileName}
                      </MuiLink>
                    }
                    secondary={`${humanize(a.kind)} · ${formatBytes(a.size)} · ${formatDateTime(a.createdAt)}`}
                  />
                </ListItem>
              ))}
            </MuiList>
          )}
        </Section>
        <Section title="Comments">
          {formComment ? (
            <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', mb: comments.length ? 2 : 0 }}>
              <strong>With the request:</strong> {formComment}
            </Typography>
          ) : null}
          {comments.map((c) => (
            <Box key={c.id} sx={{ mb: 1.5 }}>
              <Typography variant="caption" color="text.secondary">
                {c.authorName ?? 'Someone'} · {formatDateTime(c.createdAt)}
              </Typography>
              <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
                {c.body ?? c.message}
              </Typography>
            </Box>
          ))}
          {!formComment && comments.length === 0 ? <Typography color="text.secondary">No comments.</Typography> : null}
        </Section>
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <Section
          title="Timeline"
          action={
            isDesk && record.workflowId ? (
              <MuiLink
                href={temporalLink(record.workflowId as string, me)}
                target="_blank"
                rel="noreferrer"
                sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
              >
                Open the run in Temporal <OpenInNewIcon fontSize="inherit" aria-hidden />
              </MuiLink>
            ) : undefined
          }
        >
          <Timeline events={timeline} />
        </Section>
      </Box>
    </Box>
  );
}

/** Re-reads the request every 3 seconds while its workflow may still move it. */
const refetchWhileOpen = (query: { state: { data?: RaRecord } }) => {
  const status = query.state.data?.status as string | undefined;
  return status && CLOSED_STATUSES.includes(status) ? false : 3000;
};

export function RequestShow() {
  return (
    <Show title={<RequestTitle />} queryOptions={{ refetchInterval: refetchWhileOpen as never }} component="div" actions={false}>
      <RequestDetail />
    </Show>
  );
}
