import { useState } from 'react';
import { Box, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, TextField, Typography } from '@mui/material';
import ApproveIcon from '@mui/icons-material/CheckCircleOutlineOutlined';
import RejectIcon from '@mui/icons-material/HighlightOff';
import QuestionIcon from '@mui/icons-material/HelpOutlineOutlined';
import ReplyIcon from '@mui/icons-material/Reply';
import PersonIcon from '@mui/icons-material/PersonAddAlt';
import { useMutation } from '@tanstack/react-query';
import { useCanAccess, useDataProvider, useGetList, useNotify, useRecordContext, useRefresh, type RaRecord } from 'react-admin';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { CLOSED_STATUSES } from '../common/labels.ts';
import { useMe } from '../common/useMe.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { FileActionDialog } from './FileActionDialog.tsx';

function useAllowed(action: string) {
  return useCanAccess({ resource: 'requests', action }).canAccess === true;
}

function AssignDialog({ record }: { record: RaRecord }) {
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const { me } = useMe();
  const notify = useNotify();
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
    onSuccess: (_, id) => {
      notify(id ? 'Request assigned.' : 'Request unassigned.', { type: 'success' });
      setOpen(false);
      refresh();
    },
  });
  return (
    <>
      <Button variant="outlined" startIcon={<PersonIcon />} onClick={() => setOpen(true)}>
        Assign
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs" aria-labelledby="assign-title">
        <DialogTitle id="assign-title">Assign the request</DialogTitle>
        <DialogContent>
          {mutation.isError ? (
            <Typography color="error" role="alert">
              {errorMessage(mutation.error)}
            </Typography>
          ) : null}
          <TextField select label="Desk member" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)} fullWidth margin="dense">
            <MenuItem value="">Nobody</MenuItem>
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
          {me ? <Button onClick={() => mutation.mutate(me.id)}>Assign to me</Button> : null}
          <Button
            variant="contained"
            disabled={mutation.isPending}
            startIcon={mutation.isPending ? <CircularProgress size={16} color="inherit" /> : undefined}
            onClick={() => mutation.mutate(assigneeId || null)}
          >
            Save
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
  const buttons = [];

  if (isDesk) {
    if (deciding && canApprove)
      buttons.push(
        <ActionDialog
          key="approve"
          label="Approve"
          title="Approve the request"
          description="The workflow continues at once: stock is deducted, the license is issued and e-mailed. This cannot be undone."
          field={{ label: 'Comment for the partner (optional)' }}
          color="success"
          variant="contained"
          icon={<ApproveIcon />}
          successMessage="Approved. The workflow is issuing the license."
          run={(comment) => dataProvider.approveRequest(record.id, comment ? { comment } : {})}
        />,
      );
    if (deciding && canReject)
      buttons.push(
        <ActionDialog
          key="reject"
          label="Reject"
          title="Reject the request"
          description="The partner receives your reason by e-mail, and any reserved stock is released."
          field={{ label: 'Reason', required: true, helper: 'Say what was wrong and what the partner can do.' }}
          color="error"
          icon={<RejectIcon />}
          successMessage="Rejected. The partner has been told why."
          run={(reason) => dataProvider.rejectRequest(record.id, { reason })}
        />,
      );
    if (deciding && canAsk)
      buttons.push(
        <ActionDialog
          key="ask"
          label="Request information"
          title="Ask the partner for information"
          description="The request waits for the partner's answer; reminders go out on business days."
          field={{ label: 'Question', required: true }}
          icon={<QuestionIcon />}
          successMessage="Question sent to the partner."
          run={(question) => dataProvider.requestInformation(record.id, { question })}
        />,
      );
    if (open && canAssign) buttons.push(<AssignDialog key="assign" record={record} />);
    if (status === 'WAITING_FOR_FILE' && canUpload)
      buttons.push(
        <FileActionDialog
          key="upload"
          label="Upload license file"
          title="Upload the license file from the external generator"
          description="The file is delivered to the partner as this request's license."
          accept=".lic,.txt,.json,.xml,.dat,application/octet-stream"
          fileRequired
          confirmLabel="Upload and deliver"
          variant="contained"
          successMessage="File uploaded. The workflow delivers it."
          run={(file) => dataProvider.uploadExternalFile(record.id, { file: file! })}
        />,
      );
    if (status === 'WAITING_FOR_RMA' && canRma)
      buttons.push(
        <ActionDialog
          key="rma"
          label="Mark hardware received"
          title="The defective hardware came back"
          field={{ label: 'Note (optional)' }}
          successMessage="Noted. The request can complete."
          run={(note) => dataProvider.markRmaReceived(record.id, note ? { note } : {})}
        />,
      );
  } else {
    if (status === 'WAITING_FOR_PARTNER' && canReply)
      buttons.push(
        <ActionDialog
          key="reply"
          label="Reply"
          title="Answer the desk's question"
          field={{ label: 'Your answer', required: true }}
          variant="contained"
          icon={<ReplyIcon />}
          successMessage="Answer sent to the desk."
          run={(message) => dataProvider.replyToRequest(record.id, { message })}
        />,
      );
    if (status === 'WAITING_FOR_CONSENT' && canConsent) {
      buttons.push(
        <ActionDialog
          key="consent"
          label="Give consent"
          title="Consent to the ownership change"
          description="As the current owner's admin, you agree that these licenses move to the new owner. The desk then decides."
          field={{ label: 'Comment (optional)' }}
          color="success"
          variant="contained"
          icon={<ApproveIcon />}
          successMessage="Consent given. The desk decides next."
          run={(comment) => dataProvider.consentToRequest(record.id, { consent: true, ...(comment ? { comment } : {}) })}
        />,
        <ActionDialog
          key="refuse"
          label="Refuse consent"
          title="Refuse the ownership change"
          description="The request ends and the licenses stay with your company."
          field={{ label: 'Reason', required: true }}
          color="error"
          icon={<RejectIcon />}
          successMessage="Consent refused. The request is closed."
          run={(comment) => dataProvider.consentToRequest(record.id, { consent: false, comment })}
        />,
      );
    }
    if (status === 'WAITING_CONFIRM' && canConfirm)
      buttons.push(
        <FileActionDialog
          key="confirm"
          label="Confirm the return"
          title="Confirm the return"
          description="Upload the request file of the reduced installation (or confirm without it). Only then are the channels credited back to your stock."
          fileRequired={false}
          confirmLabel="Confirm the return"
          variant="contained"
          successMessage="Return confirmed. The channels go back to your stock."
          run={(file) => dataProvider.confirmReturn(record.id, { file })}
        />,
      );
  }
  if (open && canCancel && !['PROCESSING', 'WAITING_FOR_OFFICE_HOURS'].includes(status))
    buttons.push(
      <ActionDialog
        key="cancel"
        label="Cancel request"
        title="Cancel the request"
        description="Reserved stock is released. This cannot be undone."
        field={{ label: 'Reason (optional)' }}
        color="inherit"
        variant="text"
        successMessage="Request cancelled."
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
