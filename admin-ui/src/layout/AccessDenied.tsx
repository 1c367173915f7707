import { Button, Card, CardContent, Typography } from '@mui/material';
import LockIcon from '@mui/icons-material/LockOutlined';
import { Link } from 'react-router-dom';
import { Title } from 'react-admin';

/** Shown when canAccess refuses a page, e.g. a partner typing a desk URL. */
export function AccessDenied() {
  return (
    <Card sx={{ mt: 2, maxWidth: 560 }} data-testid="access-denied">
      <Title title="Not available" />
      <CardContent sx={{ textAlign: 'center', py: 5 }}>
        <LockIcon sx={{ fontSize: 48, color: 'text.secondary' }} aria-hidden />
        <Typography variant="h5" component="h1" sx={{ mt: 1 }}>
          This page is not available to you
        </Typography>
        <Typography color="text.secondary" sx={{ mt: 1, mb: 3 }}>
          Your role does not give access to it. If you think it should, ask your company's admin or the license desk.
        </Typography>
        <Button component={Link} to="/" variant="contained">
          Back to the start page
        </Button>
      </CardContent>
    </Card>
  );
}
