import { useId, useState, type ReactNode } from 'react';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useLocaleState, useNotify, useRefresh, useTranslate } from 'react-admin';
import { errorMessage } from '../dataProvider.ts';

/**
 * The toast after an action, in plain words: the API's own sentence ("LD-000012 is approved; …")
 * when the UI is in English, else the message key in the chosen language.
 */
export function successSentence(
  answer: unknown,
  key: string,
  { locale, translate, reference }: { locale: string; translate: (key: string, options?: object) => string; reference?: string },
): string {
  const sentence = (answer as { message?: unknown } | null | undefined)?.message;
  if (locale === 'en' && typeof sentence === 'string' && sentence) return sentence;
  const answered = (answer as { reference?: unknown } | null | undefined)?.reference;
  return translate(key, { reference: reference ?? (typeof answered === 'string' ? answered : '') });
}

/**
 * One workflow action behind a dialog: an optional or required text (reason, question, reply),
 * a pessimistic call, the server's answer in words, and a refresh. Never undoable.
 */
export function ActionDialog(props: {
  label: string;
  title: string;
  description?: ReactNode;
  field?: { label: string; required?: boolean; multiline?: boolean; helper?: string };
  confirmLabel?: string;
  color?: 'primary' | 'error' | 'success' | 'warning' | 'inherit';
  variant?: 'contained' | 'outlined' | 'text';
  icon?: ReactNode;
  /** A message key for the toast, given %{reference}; in English the API's own sentence is shown when it answers one. */
  successMessage: string;
  /** "LD-000012", for the toast. */
  reference?: string;
  run: (text: string) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const notify = useNotify();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const titleId = useId();
  const refresh = useRefresh();
  const mutation = useMutation({
    mutationFn: () => props.run(text.trim()),
    onSuccess: (answer) => {
      notify(successSentence(answer, props.successMessage, { locale, translate, reference: props.reference }), { type: 'success' });
      setOpen(false);
      setText('');
      setTouched(false);
      refresh();
    },
  });
  const missing = !!props.field?.required && text.trim() === '';
  const close = () => {
    if (!mutation.isPending) {
      setOpen(false);
      mutation.reset();
    }
  };
  return (
    <>
      <Button variant={props.variant ?? 'outlined'} color={props.color ?? 'primary'} startIcon={props.icon} onClick={() => setOpen(true)}>
        {props.label}
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby={titleId}>
        <DialogTitle id={titleId}>{props.title}</DialogTitle>
        <DialogContent>
          {props.description ? (
            <DialogContentText component="div" sx={{ mb: 1 }}>
              {props.description}
            </DialogContentText>
          ) : null}
          {mutation.isError ? (
            <Alert severity="error" sx={{ mb: 2 }} role="alert">
              {errorMessage(mutation.error)}
            </Alert>
          ) : null}
          {props.field ? (
            <TextField
              label={props.field.label}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onBlur={() => setTouched(true)}
              required={props.field.required}
              error={touched && missing}
              helperText={touched && missing ? translate('ld.common.field_required', { field: props.field.label }) : (props.field.helper ?? ' ')}
              multiline={props.field.multiline ?? true}
              minRows={props.field.multiline === false ? undefined : 3}
              fullWidth
              autoFocus
              margin="dense"
            />
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={mutation.isPending}>
            {translate('ld.common.cancel')}
          </Button>
          <Button
            variant="contained"
            color={props.color === 'inherit' ? 'primary' : (props.color ?? 'primary')}
            disabled={mutation.isPending}
            startIcon={mutation.isPending ? <CircularProgress size={16} color="inherit" /> : undefined}
            onClick={() => {
              setTouched(true);
              if (!missing) mutation.mutate();
            }}
          >
            {props.confirmLabel ?? props.label}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
