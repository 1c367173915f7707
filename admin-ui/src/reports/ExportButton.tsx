import { useRef, useState } from 'react';
import { Alert, Box, Button, LinearProgress, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/FileDownloadOutlined';
import { formatBytes } from '../common/labels.ts';

type State = { phase: 'idle' } | { phase: 'running'; bytes: number } | { phase: 'done'; bytes: number; fileName: string } | { phase: 'error'; message: string };

/**
 * Streams an export (the server writes rows as it reads them), showing the bytes received,
 * then saves it as a file. A failure part-way says so instead of saving half a file.
 */
export function ExportButton({ url, fileName, label }: { url: string; fileName: string; label: string }) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const abort = useRef<AbortController>(undefined);

  const run = async () => {
    abort.current = new AbortController();
    setState({ phase: 'running', bytes: 0 });
    try {
      const response = await fetch(url, { credentials: 'same-origin', signal: abort.current.signal });
      if (!response.ok) {
        const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
        throw new Error(body?.message ?? `The export failed (HTTP ${response.status}).`);
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
      else setState({ phase: 'error', message: (error as Error).message || 'The export was interrupted. Please try again.' });
    }
  };

  return (
    <Box sx={{ minWidth: 220 }}>
      {state.phase === 'running' ? (
        <Box role="status" aria-live="polite" data-testid="export-progress">
          <Typography variant="body2">Exporting… {formatBytes(state.bytes)} received</Typography>
          <LinearProgress sx={{ my: 0.5 }} aria-label="Export progress" />
          <Button size="small" onClick={() => abort.current?.abort()}>
            Cancel
          </Button>
        </Box>
      ) : (
        <Button
          variant="contained"
          startIcon={<DownloadIcon />}
          // React does not await an event handler; run() catches and shows its own errors.
          onClick={() => void run()}
        >
          {label}
        </Button>
      )}
      {state.phase === 'done' ? (
        <Typography variant="body2" color="success.main" role="status" sx={{ mt: 0.5 }} data-testid="export-done">
          {state.fileName} saved ({formatBytes(state.bytes)}).
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
