import type { ReactNode } from 'react';
import { Box, Card, CardContent, Typography } from '@mui/material';
import KeyIcon from '@mui/icons-material/VpnKey';
import { useTranslate } from 'react-admin';
import { BRAND } from '../theme.ts';

/** The frame of the pages people see before they are logged in. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const translate = useTranslate();
  return (
    <Box component="main" sx={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', bgcolor: BRAND.page, px: 2 }}>
      <Card sx={{ width: '100%', maxWidth: 420 }}>
        <Box sx={{ bgcolor: BRAND.navy, color: '#fff', px: 3, py: 2.5, display: 'flex', alignItems: 'center', gap: 1.5 }}>
          <KeyIcon aria-hidden />
          <Typography component="div" variant="h6" sx={{ fontWeight: 700 }}>
            {translate('ld.app.name')}
          </Typography>
        </Box>
        <CardContent sx={{ p: 3 }}>
          <Typography component="h1" variant="h5" gutterBottom>
            {title}
          </Typography>
          {subtitle ? (
            <Typography color="text.secondary" sx={{ mb: 2 }}>
              {subtitle}
            </Typography>
          ) : null}
          {children}
        </CardContent>
      </Card>
    </Box>
  );
}
