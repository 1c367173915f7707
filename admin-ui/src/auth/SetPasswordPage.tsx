import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Link, TextField } from '@mui/material';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { HttpError, useTranslate } from 'react-admin';
import { API_URL, errorMessage, httpClient } from '../dataProvider.ts';
import { AuthCard } from './AuthCard.tsx';

/**
 * The page behind the mailed links `#/set-password?token=…&purpose=invitation|reset`: a new
 * user accepts the invitation, or a user resets a forgotten password.
 */
export function SetPasswordPage() {
  const translate = useTranslate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const invitation = params.get('purpose') === 'invitation';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const mismatch = repeat.length > 0 && repeat !== password;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(undefined);
    setFieldError(undefined);
    try {
      const path = invitation ? '/auth/invitations/accept' : '/auth/password-reset/confirm';
      await httpClient(`${API_URL}${path}`, { method: 'POST', body: JSON.stringify({ token, password }) });
      setDone(true);
    } catch (e) {
      if (e instanceof HttpError && e.body?.errors?.password) setFieldError(e.body.errors.password as string);
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const title = translate(invitation ? 'ld.auth.welcome_title' : 'ld.auth.reset_title');
  if (!token) {
    return (
      <AuthCard title={title}>
        <Alert severity="error">{translate('ld.auth.incomplete_link')}</Alert>
        <Box sx={{ mt: 2, textAlign: 'center' }}>
          <Link component={RouterLink} to="/forgot-password">
            {translate('ld.auth.ask_new_link')}
          </Link>
        </Box>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={title} subtitle={translate(invitation ? 'ld.auth.invitation_subtitle' : 'ld.auth.reset_subtitle')}>
      {done ? (
        <>
          <Alert severity="success" role="status">
            {translate('ld.auth.password_set')}
          </Alert>
          <Button component={RouterLink} to="/login" variant="contained" fullWidth sx={{ mt: 2 }}>
            {translate('ld.auth.go_to_login')}
          </Button>
        </>
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
            label={translate('ld.auth.new_password')}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={!!fieldError}
            helperText={fieldError ?? translate('ld.auth.password_helper')}
            fullWidth
            required
            margin="normal"
            autoFocus
          />
          <TextField
            label={translate('ld.auth.repeat_password')}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            error={mismatch}
            helperText={mismatch ? translate('ld.auth.passwords_differ') : ' '}
            fullWidth
            required
            margin="normal"
          />
          <Button type="submit" variant="contained" fullWidth size="large" sx={{ mt: 1 }} disabled={busy || !password || mismatch}>
            {translate(invitation ? 'ld.auth.activate' : 'ld.auth.set_password')}
          </Button>
        </Box>
      )}
    </AuthCard>
  );
}
