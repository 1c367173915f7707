import { useState } from 'react';
import { Box, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, TextField, Typography } from '@mui/material';
import ApproveIcon from '@mui/icons-material/CheckCircleOutlineOutlined';
import RejectIcon from '@mui/icons-material/HighlightOff';
import QuestionIcon from '@mui/icons-material/HelpOutlineOutlined';
import ReplyIcon from '@mui/icons-material/Reply';
import PersonIcon from '@mui/icons-material/PersonAddAlt';
import { useMutation } from '@tanstack/react-query';
import { useCanAccess, useDataProvider, useGetList, useLocaleState, useNotify, useRecordContext, useRefresh, useTranslate, type RaRecord } from 'react-admin';
import { ActionDialog, successSentence } from '../common/ActionDialog.tsx';
import { CLOSED_STATUSES, requestReference } from '../common/labels.ts';
import { useMe } from '../common/useMe.ts';
import { formatDateTime } from '../common/formats.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { FileActionDialog } from './FileActionDialog.tsx';

function useAllowed(action: string) {
  return useCanAccess({ resource: 'requests', action }).canAccess === true;
}

function AssignDialog({ record }: { record: RaRecord }) {
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { me } = useMe();
  const notify = useNotify();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [assigneeId, setAssigneeId] = useState<string>((record.assigneeId as string) ?? '');
  const { data: staff = [] } = useGetList(
    'users',
    { filter: me ? { companyId: me.companyId } : {}, pagination: { page: 1, perPage: 100 }, sort: { field: 'name', order: 'ASC' } },
    { enabled: open && !!me },
  );
  const mutation = useMutation({
    mutationFn: (id: string | null) => dataProvider.assignRequest(record.id, { assigneeId: id }),
    onSuccess: (answer, id) => {
      const reference = requestReference(record.number as number);
      notify(successSentence(answer, id ? 'ld.actions.assigned' : 'ld.actions.unassigned', { locale, translate, reference }), { type: 'success' });
      setOpen(false);
      refresh();
    },
  });
  return (
    <>
      <Button variant="outlined" startIcon={<PersonIcon />} onClick={() => setOpen(true)}>
        {translate('ld.actions.assign')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs" aria-labelledby="assign-title">
        <DialogTitle id="assign-title">{translate('ld.actions.assign_title')}</DialogTitle>
        <DialogContent>
          {mutation.isError ? (
            <Typography color="error" role="alert">
              {errorMessage(mutation.error)}
            </Typography>
          ) : null}
          <TextField
            select
            label={translate('ld.actions.desk_member')}
            value={assigneeId}
            onChange={(e) => setAssigneeId(e.target.value)}
            fullWidth
            margin="dense"
          >
            <MenuItem value="">{translate('ld.common.nobody')}</MenuItem>
            {staff
              .filter((u) => u.role === 'DESK_AGENT' || u.role === 'DESK_ADMIN' || u.role === undefined)
              .map((u) => (
                <MenuItem key={u.id} value={u.id as string}>
                  {u.name as string}
                </MenuItem>
              ))}
          </TextField>
        </DialogContent>
        <DialogActions>
          {me ? <Button onClick={() => mutation.mutate(me.id)}>{translate('ld.actions.assign_to_me')}</Button> : null}
          <Button
            variant="contained"
            disabled={mutation.isPending}
            startIcon={mutation.isPending ? <CircularProgress size={16} color="inherit" /> : undefined}
            onClick={() => mutation.mutate(assigneeId || null)}
          >
            {translate('ld.common.save')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** The buttons a request offers now: they follow its status and the user's role. */
export function RequestActions() {
  const record = useRecordContext();
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { isDesk } = useMe();
  const translate = useTranslate();
  const canApprove = useAllowed('approve');
  const canReject = useAllowed('reject');
  const canAsk = useAllowed('request-information');
  const canAssign = useAllowed('assign');
  const canUpload = useAllowed('external-file');
  const canRma = useAllowed('rma-received');
  const canReply = useAllowed('reply');
  const canConsent = useAllowed('consent');
  const canConfirm = useAllowed('confirm-return');
  const canCancel = useAllowed('cancel');
  if (!record) return null;
  const status = record.status as string;
  const open = !CLOSED_STATUSES.includes(status);
  const deciding = status === 'PENDING_APPROVAL';
  // A partial transfer asks the same consent about channels, not licenses.
  const transfer = record.type === 'PARTIAL_TRANSFER';
  const buttons = [];
  const reference = requestReference(record.number as number);

  if (isDesk) {
    if (deciding && canApprove)
      buttons.push(
        <ActionDialog
          key="approve"
          label={translate('ld.actions.approve')}
          title={translate('ld.actions.approve_title')}
          description={translate('ld.actions.approve_description')}
          field={{ label: translate('ld.actions.comment_optional') }}
          color="success"
          variant="contained"
          icon={<ApproveIcon />}
          successMessage="ld.actions.approved"
          reference={reference}
          run={(comment) => dataProvider.approveRequest(record.id, comment ? { comment } : {})}
        />,
      );
    if (deciding && canReject)
      buttons.push(
        <ActionDialog
          key="reject"
          label={translate('ld.actions.reject')}
          title={translate('ld.actions.reject_title')}
          description={translate('ld.actions.reject_description')}
          field={{ label: translate('ld.actions.reason'), required: true, helper: translate('ld.actions.reason_helper') }}
          color="error"
          icon={<RejectIcon />}
          successMessage="ld.actions.rejected"
          reference={reference}
          run={(reason) => dataProvider.rejectRequest(record.id, { reason })}
        />,
      );
    if (deciding && canAsk)
      buttons.push(
        <ActionDialog
          key="ask"
          label={translate('ld.actions.ask')}
          title={translate('ld.actions.ask_title')}
          description={translate('ld.actions.ask_description')}
          field={{ label: translate('ld.actions.question'), required: true }}
          icon={<QuestionIcon />}
          successMessage="ld.actions.asked"
          reference={reference}
          run={(question) => dataProvider.requestInformation(record.id, { question })}
        />,
      );
    if (open && canAssign) buttons.push(<AssignDialog key="assign" record={record} />);
    if (status === 'WAITING_FOR_FILE' && canUpload)
      buttons.push(
        <FileActionDialog
          key="upload"
          label={translate('ld.actions.upload')}
          title={translate('ld.actions.upload_title')}
          description={translate('ld.actions.upload_description')}
          accept=".lic,.txt,.json,.xml,.dat,application/octet-stream"
          fileRequired
          confirmLabel={translate('ld.actions.upload_confirm')}
          variant="contained"
          successMessage="ld.actions.uploaded"
          reference={reference}
          run={(file) => dataProvider.uploadExternalFile(record.id, { file: file! })}
        />,
      );
    if (status === 'WAITING_FOR_RMA' && canRma)
      buttons.push(
        <ActionDialog
          key="rma"
          label={translate('ld.actions.rma')}
          title={translate('ld.actions.rma_title')}
          field={{ label: translate('ld.actions.note_optional') }}
          successMessage="ld.actions.rma_received"
          reference={reference}
          run={(note) => dataProvider.markRmaReceived(record.id, note ? { note } : {})}
        />,
      );
  } else {
    if (status === 'WAITING_FOR_PARTNER' && canReply)
      buttons.push(
        <ActionDialog
          key="reply"
          label={translate('ld.actions.reply')}
          title={translate('ld.actions.reply_title')}
          field={{ label: translate('ld.actions.your_answer'), required: true }}
          variant="contained"
          icon={<ReplyIcon />}
          successMessage="ld.actions.replied"
          reference={reference}
          run={(message) => dataProvider.replyToRequest(record.id, { message })}
        />,
      );
    if (status === 'WAITING_FOR_CONSENT' && canConsent) {
      buttons.push(
        <ActionDialog
          key="consent"
          label={translate('ld.actions.consent')}
          title={translate(transfer ? 'ld.actions.consent_title_transfer' : 'ld.actions.consent_title')}
          description={translate(transfer ? 'ld.actions.consent_description_transfer' : 'ld.actions.consent_description')}
          field={{ label: translate('ld.actions.comment') }}
          color="success"
          variant="contained"
          icon={<ApproveIcon />}
          successMessage="ld.actions.consented"
          reference={reference}
          run={(comment) => dataProvider.consentToRequest(record.id, { consent: true, ...(comment ? { comment } : {}) })}
        />,
        <ActionDialog
          key="refuse"
          label={translate('ld.actions.refuse')}
          title={translate(transfer ? 'ld.actions.refuse_title_transfer' : 'ld.actions.refuse_title')}
          description={translate(transfer ? 'ld.actions.refuse_description_transfer' : 'ld.actions.refuse_description')}
          field={{ label: translate('ld.actions.reason'), required: true }}
          color="error"
          icon={<RejectIcon />}
          successMessage={transfer ? 'ld.actions.refused_transfer' : 'ld.actions.refused'}
          reference={reference}
          run={(comment) => dataProvider.consentToRequest(record.id, { consent: false, comment })}
        />,
      );
    }
    if (status === 'WAITING_CONFIRM' && canConfirm)
      buttons.push(
        <FileActionDialog
          key="confirm"
          label={translate('ld.actions.confirm_return')}
          title={translate('ld.actions.confirm_return')}
          description={translate('ld.actions.confirm_return_description')}
          accept=".json,.req,application/json"
          fileRequired={false}
          confirmLabel={translate('ld.actions.confirm_return')}
          variant="contained"
          successMessage="ld.actions.return_confirmed"
          reference={reference}
          run={(file) => dataProvider.confirmReturn(record.id, { file })}
        />,
      );
  }
  if (status === 'COOLING_OFF' && canCancel)
    buttons.push(
      <ActionDialog
        key="cancel-renewal"
        label={translate('ld.actions.cancel_renewal')}
        title={translate('ld.actions.cancel_renewal_title')}
        description={translate('ld.actions.cancel_renewal_description', { until: formatDateTime(record.coolingOffEndsAt) })}
        field={{ label: translate('ld.actions.reason_optional') }}
        color="warning"
        variant="outlined"
        successMessage="ld.actions.renewal_cancelled"
        reference={reference}
        run={(reason) => dataProvider.cancelRenewal(record.id, reason ? { reason } : {})}
      />,
      <ActionDialog
        key="finalize-renewal"
        label={translate('ld.actions.finalize_renewal')}
        title={translate('ld.actions.finalize_renewal_title')}
        description={translate('ld.actions.finalize_renewal_description')}
        field={{ label: translate('ld.actions.reason'), required: true }}
        color="inherit"
        variant="text"
        successMessage="ld.actions.renewal_finalized"
        reference={reference}
        run={(reason) => dataProvider.finalizeRenewal(record.id, { reason })}
      />,
    );
  if (open && canCancel && !['PROCESSING', 'WAITING_FOR_OFFICE_HOURS', 'COOLING_OFF'].includes(status))
    buttons.push(
      <ActionDialog
        key="cancel"
        label={translate('ld.actions.cancel')}
        title={translate('ld.actions.cancel_title')}
        description={translate('ld.actions.cancel_description')}
        field={{ label: translate('ld.actions.reason_optional') }}
        color="inherit"
        variant="text"
        successMessage="ld.actions.cancelled"
        reference={reference}
        run={(reason) => dataProvider.cancelRequest(record.id, reason ? { reason } : {})}
      />,
    );
  if (buttons.length === 0) return null;
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }} data-testid="request-actions">
      {buttons}
    </Box>
  );
}
