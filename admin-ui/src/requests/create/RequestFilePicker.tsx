import { useState } from 'react';
import { Alert, Box, Button, Chip, Typography } from '@mui/material';
import UploadIcon from '@mui/icons-material/UploadFile';
import { useFormContext, useWatch } from 'react-hook-form';
import { useTranslate } from 'react-admin';
import { formatMac } from '../../common/labels.ts';
import { checkRequestFileSize, lockOfRequestFile, parseRequestFile, type RequestFile } from '../../../../domain/request-file.ts';

/** The field a request file fills: a new installation's lock, a channel expansion's MAC, or nothing (a return: the file only identifies the installation). */
export type RequestFileFills = 'lock' | 'macAddress' | 'none';

/** What the file shows, in a line: "MAC c8:d9:d2:9a:a3:1b · vms-01 · 0 channels · MIRASYS-V9-ENTERPRISE". */
function summaryOf(file: RequestFile, translate: ReturnType<typeof useTranslate>) {
  const hardware =
    file.hardware.type === 'MAC'
      ? translate('ld.field.lock_mac', { value: formatMac(file.hardware.mac) })
      : translate('ld.field.lock_key', { value: file.hardware.key });
  return translate('ld.form.request_file_summary', {
    hardware,
    installation: file.installationId,
    channels: file.channels,
    smart_count: file.channels,
    product: file.product,
  });
}

/**
 * The installation's request file (docs/request-file.md), instead of typing the lock: it is read
 * in the browser with the desk's own schema (domain/request-file.ts), fills the lock or MAC field
 * and locks it, and goes with the form as `requestFile`; the server reads it again and checks the
 * product, the license and that the file was not used before. Removing the file unlocks the field.
 */
export function RequestFilePicker({ fills }: { fills: RequestFileFills }) {
  const translate = useTranslate();
  const { setValue } = useFormContext();
  const text = useWatch({ name: 'requestFile' }) as string | undefined;
  const [fileName, setFileName] = useState<string>();
  const [problem, setProblem] = useState<string>();
  let file: RequestFile | undefined;
  try {
    file = text ? parseRequestFile(text) : undefined;
  } catch {
    file = undefined;
  }

  async function choose(chosen: File | undefined) {
    if (!chosen) return;
    setProblem(undefined);
    try {
      checkRequestFileSize(chosen.size); // before reading it, in the desk's words
      const content = await chosen.text();
      const parsed = parseRequestFile(content);
      const lock = lockOfRequestFile(parsed);
      setFileName(chosen.name);
      setValue('requestFile', content, { shouldDirty: true });
      if (fills === 'lock')
        setValue('lock', lock.type === 'MAC' ? { ...lock, value: formatMac(lock.value) } : lock, { shouldValidate: true, shouldDirty: true });
      if (fills === 'macAddress' && lock.type === 'MAC') setValue('macAddress', formatMac(lock.value), { shouldValidate: true, shouldDirty: true });
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  function remove() {
    setValue('requestFile', undefined, { shouldDirty: true });
    setFileName(undefined);
    setProblem(undefined);
  }

  const inputId = `request-file-${fills}`;
  return (
    <Box sx={{ width: '100%', mb: 1 }} data-testid="request-file-picker">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate(fills === 'none' ? 'ld.form.request_file_helper_return' : 'ld.form.request_file_helper')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Button component="label" htmlFor={inputId} variant="outlined" size="small" startIcon={<UploadIcon />}>
          {translate(file ? 'ld.form.request_file_other' : 'ld.form.request_file_choose')}
        </Button>
        <input
          id={inputId}
          type="file"
          accept=".json,.req,application/json"
          hidden
          data-testid={inputId}
          onChange={(e) => {
            void choose(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        {file ? (
          <Chip
            label={`${fileName ?? translate('ld.form.request_file')} · ${summaryOf(file, translate)}`}
            onDelete={remove}
            color="primary"
            variant="outlined"
            sx={{ maxWidth: '100%', height: 'auto', '& .MuiChip-label': { whiteSpace: 'normal', py: 0.5 } }}
          />
        ) : null}
      </Box>
      {file && fills !== 'none' ? (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 0.5 }}>
          {translate('ld.form.request_file_locks')}
        </Typography>
      ) : null}
      {problem ? (
        <Alert severity="error" role="alert" sx={{ mt: 1 }}>
          {problem}
        </Alert>
      ) : null}
    </Box>
  );
}

/** True while a request file fills the form: its lock or MAC field is then read-only. */
export function useRequestFileGiven() {
  return !!(useWatch({ name: 'requestFile' }) as string | undefined);
}
