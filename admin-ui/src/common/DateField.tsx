import { Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import { formatDate, formatDateTime } from './formats.ts';

/**
 * react-admin's DateField with the one date style of the UI (formats.ts: Intl in the chosen
 * language) instead of the browser's default: "4 Dec 2026, 03:30" / "4.12.2026 klo 3.30".
 * Same props as the fields it replaces; `emptyText` may be a message key.
 */
export function DateField({ source, showTime = false, emptyText }: { source: string; showTime?: boolean; emptyText?: string; label?: string }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const value = record?.[source];
  const text = value ? (showTime ? formatDateTime(value) : formatDate(value)) : emptyText !== undefined ? translate(emptyText, { _: emptyText }) : '';
  return (
    <Typography component="span" variant="body2">
      {text}
    </Typography>
  );
}
