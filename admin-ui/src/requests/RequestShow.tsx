import { Alert, Box, Link as MuiLink, List as MuiList, ListItem, ListItemText, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import AttachIcon from '@mui/icons-material/AttachFile';
import { Link } from 'react-router-dom';
import { Show, useGetOne, useRecordContext, useShowContext, useTranslate, type RaRecord } from 'react-admin';
import { CLOSED_STATUSES, formatBytes, requestReference, useLabel } from '../common/labels.ts';
import { Facts, Section } from '../common/Section.tsx';
import { StatusChip } from '../common/StatusChip.tsx';
import { Timeline, type TimelineEvent } from '../common/Timeline.tsx';
import { useMe } from '../common/useMe.ts';
import { PayloadView } from './payload.tsx';
import { DecisionContext } from './DecisionContext.tsx';
import { RequestActions } from './RequestActions.tsx';
import { formatDateTime } from '../common/formats.ts';

function RequestTitle() {
  const record = useRecordContext();
  const label = useLabel();
  if (!record) return null;
  return <>{`${requestReference(record.number as number)} · ${label('request_type', record.type as string)}`}</>;
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
  const translate = useTranslate();
  return <Link to={`/licenses/${id}/show`}>{(data?.serial as string) ?? translate('ld.request.open_license')}</Link>;
}

/**
 * The licenses a partial transfer created (the API lists every license the request wrote a
 * revision of; the source is the request's own). A partner opens only its own company's.
 */
function newLicenses(record: RaRecord, companyId: string | undefined, isDesk: boolean) {
  const licenses = (record.licenses as Array<{ id: string; serial: string; companyId: string; companyName: string }> | undefined) ?? [];
  return licenses.filter((l) => l.id !== record.licenseId).map((l) => ({ ...l, visible: isDesk || l.companyId === companyId }));
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
  const translate = useTranslate();
  const label = useLabel();
  if (error) return null;
  if (!record) return null;
  const attachments = (record.attachments as Attachment[] | undefined) ?? [];
  const comments = Array.isArray(record.comments) ? (record.comments as Comment[]) : [];
  // The partner's comment from the form: shown once, under Comments (not again under Details).
  const payloadComment = (record.payload as Record<string, unknown> | undefined)?.comments;
  const formComment =
    typeof record.comments === 'string' ? record.comments : typeof payloadComment === 'string' && payloadComment.trim() ? payloadComment : undefined;
  const status = record.status as string;
  // A request that ended without being carried out is closed, not completed.
  const endedWord = status === 'COMPLETED' || !CLOSED_STATUSES.includes(status) ? 'ld.request.completed' : 'ld.request.closed';
  const timeline = (record.timeline as TimelineEvent[] | undefined) ?? [];
  const lastRefusal = [...timeline].reverse().find((e) => ['request_rejected', 'request_failed', 'information_requested'].includes(e.action));
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, alignItems: 'start', mt: 1 }}>
      <Box sx={{ minWidth: 0 }}>
        <Section title={translate('ld.request.request')} action={<StatusChip />}>
          {record.status === 'WAITING_FOR_PARTNER' && lastRefusal?.comment && !isDesk ? (
            <Alert severity="warning" sx={{ mb: 2 }}>
              {translate('ld.request.desk_asks', { question: lastRefusal.comment })}
            </Alert>
          ) : null}
          {record.status === 'WAITING_FOR_CONSENT' && !isDesk ? (
            <Alert severity="info" sx={{ mb: 2 }}>
              {translate('ld.request.consent_needed')}
            </Alert>
          ) : null}
          {record.coolingOffEndsAt ? (
            <Alert
              severity={record.status === 'COOLING_OFF' ? 'info' : record.status === 'CANCELLED' ? 'warning' : 'success'}
              sx={{ mb: 2 }}
              data-testid="cooling-off"
            >
              {translate(
                record.status === 'COOLING_OFF'
                  ? 'ld.request.cooling_off_until'
                  : record.status === 'CANCELLED'
                    ? 'ld.request.cooling_off_cancelled'
                    : 'ld.request.cooling_off_ended',
                { until: formatDateTime(record.coolingOffEndsAt) },
              )}
            </Alert>
          ) : null}
          {record.status === 'REJECTED' && lastRefusal?.comment ? (
            <Alert severity="error" sx={{ mb: 2 }}>
              {translate('ld.request.rejected_because', { reason: lastRefusal.comment })}
            </Alert>
          ) : null}
          <Facts
            items={[
              [translate('ld.request.reference'), requestReference(record.number as number)],
              [translate('ld.request.type'), label('request_type', record.type as string)],
              [translate('ld.request.company'), (record.companyName as string) ?? '—'],
              [translate('ld.request.requested_by'), (record.requesterName as string) ?? '—'],
              [translate('ld.request.submitted'), formatDateTime(record.submittedAt ?? record.createdAt)],
              ...(isDesk
                ? ([
                    [translate('ld.request.due'), formatDateTime(record.dueAt)],
                    [
                      translate('ld.request.assignee'),
                      (record.assigneeName as string) ?? translate(record.assigneeId ? 'ld.request.assigned' : 'ld.common.nobody'),
                    ],
                  ] as Array<[string, string]>)
                : []),
              [translate('ld.request.decided'), formatDateTime(record.decidedAt)],
              [translate(endedWord), formatDateTime(record.completedAt)],
              ...(record.licenseId
                ? ([
                    [
                      translate(record.type === 'PARTIAL_TRANSFER' ? 'ld.request.source_license' : 'ld.request.license'),
                      <LicenseLink key="l" id={record.licenseId as string} />,
                    ],
                  ] as Array<[string, React.ReactNode]>)
                : []),
              ...(record.type === 'PARTIAL_TRANSFER'
                ? newLicenses(record, me?.companyId, isDesk).map(
                    (l) =>
                      [
                        translate('ld.request.new_license'),
                        l.visible ? <Link key={l.id} to={`/licenses/${l.id}/show`}>{`${l.serial} · ${l.companyName}`}</Link> : `${l.serial} · ${l.companyName}`,
                      ] as [string, React.ReactNode],
                  )
                : []),
            ]}
          />
          <Box sx={{ mt: 2 }}>
            <DecisionContext />
            <RequestActions />
          </Box>
        </Section>
        <Section title={translate('ld.request.details')}>
          <PayloadView payload={record.payload as Record<string, unknown>} licenseId={record.licenseId as string | undefined} />
        </Section>
        <Section title={translate('ld.request.attachments')}>
          {attachments.length === 0 ? (
            <Typography color="text.secondary">{translate('ld.request.no_attachments')}</Typography>
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
                    secondary={`${translate(`ld.request.attachment_kind_${a.kind}`, { _: a.kind })} · ${formatBytes(a.size)} · ${formatDateTime(a.createdAt)}`}
                  />
                </ListItem>
              ))}
            </MuiList>
          )}
        </Section>
        <Section title={translate('ld.request.comments')}>
          {formComment ? (
            <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', mb: comments.length ? 2 : 0 }}>
              <strong>{translate('ld.request.with_request')}</strong> {formComment}
            </Typography>
          ) : null}
          {comments.map((c) => (
            <Box key={c.id} sx={{ mb: 1.5 }}>
              <Typography variant="caption" color="text.secondary">
                {c.authorName ?? translate('ld.common.someone')} · {formatDateTime(c.createdAt)}
              </Typography>
              <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
                {c.body ?? c.message}
              </Typography>
            </Box>
          ))}
          {!formComment && comments.length === 0 ? <Typography color="text.secondary">{translate('ld.request.no_comments')}</Typography> : null}
        </Section>
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <Section
          title={translate('ld.request.timeline')}
          action={
            isDesk && record.workflowId ? (
              <MuiLink
                href={temporalLink(record.workflowId as string, me)}
                target="_blank"
                rel="noreferrer"
                sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
              >
                {translate('ld.request.open_in_temporal')} <OpenInNewIcon fontSize="inherit" aria-hidden />
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
