import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Link, TextField } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import { API_URL, errorMessage, httpClient } from '../dataProvider.ts';
import { AuthCard } from './AuthCard.tsx';

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const translate = useTranslate();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await httpClient(`${API_URL}/auth/password-reset`, { method: 'POST', body: JSON.stringify({ email }) });
      setSent(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={translate('ld.auth.forgot_title')} subtitle={translate('ld.auth.forgot_subtitle')}>
      {sent ? (
        <Alert severity="success" role="status">
          {translate('ld.auth.forgot_sent', { email })}
        </Alert>
      ) : (
        <Box
          component="form"
          // React does not await an event handler; submit() catches and shows its own errors.
          onSubmit={(event) => void submit(event)}
          noValidate
        >
          {error ? (
            <Alert severity="error" sx={{ mb: 2 }}>
              {error}
            </Alert>
          ) : null}
          <TextField
            label={translate('ld.login.email')}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            fullWidth
            required
            margin="normal"
            autoFocus
          />
          <Button type="submit" variant="contained" fullWidth size="large" sx={{ mt: 2 }} disabled={busy || !email}>
            {translate('ld.auth.send_link')}
          </Button>
        </Box>
      )}
      <Box sx={{ mt: 2, textAlign: 'center' }}>
        <Link component={RouterLink} to="/login">
          {translate('ld.auth.back_to_login')}
        </Link>
      </Box>
    </AuthCard>
  );
}
