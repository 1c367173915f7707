import { useRef, useState } from 'react';
import { Alert, Box, Button, LinearProgress, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/FileDownloadOutlined';
import { useTranslate } from 'react-admin';
import { formatBytes } from '../common/labels.ts';

/** One format of an export: where it streams from, the file it saves as, and the button's words (a message key). */
export interface ExportFormat {
  url: string;
  fileName: string;
  label: string;
}

type State = { phase: 'idle' } | { phase: 'running'; bytes: number } | { phase: 'done'; bytes: number; fileName: string } | { phase: 'error'; message: string };

/**
 * The report's export, one control for all its formats: a button a format, the same kind each, and
 * one line of progress under them. It streams the export (the server writes rows as it reads them),
 * showing the bytes received, then saves it as a file. A failure part-way says so instead of saving
 * half a file.
 */
export function ExportButtons({ formats }: { formats: ExportFormat[] }) {
  const translate = useTranslate();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const abort = useRef<AbortController>(undefined);

  const run = async ({ url, fileName }: ExportFormat) => {
    abort.current = new AbortController();
    setState({ phase: 'running', bytes: 0 });
    try {
      const response = await fetch(url, { credentials: 'same-origin', signal: abort.current.signal });
      if (!response.ok) {
        const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
        throw new Error(body?.message ?? translate('ld.reports.export_failed', { status: response.status }));
      }
      const reader = response.body!.getReader();
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.length;
        setState({ phase: 'running', bytes });
      }
      const blob = new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? 'application/octet-stream' });
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      setState({ phase: 'done', bytes, fileName });
    } catch (error) {
      if ((error as Error).name === 'AbortError') setState({ phase: 'idle' });
      else setState({ phase: 'error', message: (error as Error).message || translate('ld.reports.export_interrupted') });
    }
  };

  return (
    <Box sx={{ minWidth: 220 }}>
      {state.phase === 'running' ? (
        <Box role="status" aria-live="polite" data-testid="export-progress">
          <Typography variant="body2">{translate('ld.reports.exporting', { size: formatBytes(state.bytes) })}</Typography>
          <LinearProgress sx={{ my: 0.5 }} aria-label={translate('ld.reports.export_progress')} />
          <Button size="small" onClick={() => abort.current?.abort()}>
            {translate('ld.common.cancel')}
          </Button>
        </Box>
      ) : (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          {formats.map((format) => (
            <Button
              key={format.fileName}
              variant="outlined"
              startIcon={<DownloadIcon />}
              // React does not await an event handler; run() catches and shows its own errors.
              onClick={() => void run(format)}
            >
              {translate(format.label)}
            </Button>
          ))}
        </Box>
      )}
      {state.phase === 'done' ? (
        <Typography variant="body2" color="success.main" role="status" sx={{ mt: 0.5 }} data-testid="export-done">
          {translate('ld.reports.export_saved', { name: state.fileName, size: formatBytes(state.bytes) })}
        </Typography>
      ) : null}
      {state.phase === 'error' ? (
        <Alert severity="error" sx={{ mt: 1 }} role="alert">
          {state.message}
        </Alert>
      ) : null}
    </Box>
  );
}
