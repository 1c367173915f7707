import { Button, Card, CardContent, Typography } from '@mui/material';
import LockIcon from '@mui/icons-material/LockOutlined';
import { Link } from 'react-router-dom';
import { Title, useTranslate } from 'react-admin';

/** Shown when canAccess refuses a page, e.g. a partner typing a desk URL. */
export function AccessDenied() {
  const translate = useTranslate();
  return (
    <Card sx={{ mt: 2, maxWidth: 560 }} data-testid="access-denied">
      <Title title={translate('ld.access.title')} />
      <CardContent sx={{ textAlign: 'center', py: 5 }}>
        <LockIcon sx={{ fontSize: 48, color: 'text.secondary' }} aria-hidden />
        <Typography variant="h5" component="h1" sx={{ mt: 1 }}>
          {translate('ld.access.heading')}
        </Typography>
        <Typography color="text.secondary" sx={{ mt: 1, mb: 3 }}>
          {translate('ld.access.body')}
        </Typography>
        <Button component={Link} to="/" variant="contained">
          {translate('ld.access.back')}
        </Button>
      </CardContent>
    </Card>
  );
}
