import { Button } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useTranslate } from 'react-admin';

/** A same-origin download link styled as a button; the session cookie goes with it. */
export function DownloadButton({
  href,
  label,
  fileName,
  variant = 'contained',
}: {
  href: string;
  label?: string;
  fileName?: string;
  variant?: 'contained' | 'outlined' | 'text';
}) {
  const translate = useTranslate();
  return (
    <Button
      component="a"
      href={href}
      download={fileName ?? ''}
      variant={variant}
      startIcon={<DownloadIcon />}
      onClick={(e: React.MouseEvent) => e.stopPropagation()}
    >
      {label ?? translate('ld.common.download')}
    </Button>
  );
}
