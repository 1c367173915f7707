import { useState, type ReactNode } from 'react';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Typography } from '@mui/material';
import UploadIcon from '@mui/icons-material/UploadFile';
import { useMutation } from '@tanstack/react-query';
import { useLocaleState, useNotify, useRefresh, useTranslate } from 'react-admin';
import { successSentence } from '../common/ActionDialog.tsx';
import { errorMessage } from '../dataProvider.ts';

/** An action that sends a file (the external license file, the reduced installation's request file). */
export function FileActionDialog(props: {
  label: string;
  title: string;
  description: ReactNode;
  accept?: string;
  fileRequired: boolean;
  confirmLabel: string;
  /** A message key for the toast, given %{reference} (see successSentence). */
  successMessage: string;
  reference?: string;
  variant?: 'contained' | 'outlined';
  run: (file: File | undefined) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File>();
  const notify = useNotify();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const refresh = useRefresh();
  const mutation = useMutation({
    mutationFn: () => props.run(file),
    onSuccess: (answer) => {
      notify(successSentence(answer, props.successMessage, { locale, translate, reference: props.reference }), { type: 'success' });
      setOpen(false);
      setFile(undefined);
      refresh();
    },
  });
  const inputId = `file-${props.label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <>
      <Button variant={props.variant ?? 'outlined'} startIcon={<UploadIcon />} onClick={() => setOpen(true)}>
        {props.label}
      </Button>
      <Dialog open={open} onClose={() => !mutation.isPending && setOpen(false)} fullWidth maxWidth="sm" aria-labelledby={`${inputId}-title`}>
        <DialogTitle id={`${inputId}-title`}>{props.title}</DialogTitle>
        <DialogContent>
          <DialogContentText component="div" sx={{ mb: 2 }}>
            {props.description}
          </DialogContentText>
          {mutation.isError ? (
            <Alert severity="error" sx={{ mb: 2 }} role="alert">
              {errorMessage(mutation.error)}
            </Alert>
          ) : null}
          <Button component="label" htmlFor={inputId} variant="outlined" startIcon={<UploadIcon />}>
            {translate('ld.common.choose_file')}
          </Button>
          <input id={inputId} type="file" accept={props.accept} hidden onChange={(e) => setFile(e.target.files?.[0])} data-testid={inputId} />
          <Typography variant="body2" sx={{ mt: 1 }} color={file ? 'text.primary' : 'text.secondary'}>
            {file
              ? translate('ld.common.file_size', { name: file.name, size: Math.ceil(file.size / 1024) })
              : translate(props.fileRequired ? 'ld.common.no_file_required' : 'ld.common.no_file_optional')}
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={mutation.isPending}>
            {translate('ld.common.cancel')}
          </Button>
          <Button
            variant="contained"
            disabled={mutation.isPending || (props.fileRequired && !file)}
            startIcon={mutation.isPending ? <CircularProgress size={16} color="inherit" /> : undefined}
            onClick={() => mutation.mutate()}
          >
            {props.confirmLabel}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
