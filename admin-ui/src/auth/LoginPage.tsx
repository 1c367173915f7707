import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, CircularProgress, Link, TextField } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useLogin, useTranslate } from 'react-admin';
import { AuthCard } from './AuthCard.tsx';

export function LoginPage() {
  const login = useLogin();
  const translate = useTranslate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    login({ username: email, password }).catch((e: unknown) => {
      setError(e instanceof Error ? e.message : translate('ld.login.failed'));
      setBusy(false);
    });
  };

  return (
    <AuthCard title={translate('ld.login.title')} subtitle={translate('ld.login.subtitle')}>
      <Box component="form" onSubmit={submit} noValidate>
        {error ? (
          <Alert severity="error" sx={{ mb: 2 }} role="alert">
            {error}
          </Alert>
        ) : null}
        <TextField
          label={translate('ld.login.email')}
          type="email"
          name="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          fullWidth
          required
          margin="normal"
          autoFocus
        />
        <TextField
          label={translate('ld.login.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          fullWidth
          required
          margin="normal"
        />
        <Button
          type="submit"
          variant="contained"
          fullWidth
          size="large"
          sx={{ mt: 2 }}
          disabled={busy}
          startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
        >
          {translate('ld.login.submit')}
        </Button>
        <Box sx={{ mt: 2, textAlign: 'center' }}>
          <Link component={RouterLink} to="/forgot-password">
            {translate('ld.login.forgot')}
          </Link>
        </Box>
      </Box>
    </AuthCard>
  );
}
