import { useMediaQuery, type Theme } from '@mui/material';

/**
 * Below the md breakpoint (900 px: phones and small tablets) lists show two-line rows
 * (react-admin's SimpleList) instead of their tables, which need the width. Every list asks
 * here, so they all switch at the same width.
 */
export function useSmallScreen() {
  return useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'));
}
