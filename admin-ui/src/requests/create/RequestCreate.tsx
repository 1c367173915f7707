import { useMemo, useRef } from 'react';
import { Box, Card, CardActionArea, CardContent, Typography } from '@mui/material';
import { Link, useSearchParams } from 'react-router-dom';
import { Create, SimpleForm, Title } from 'react-admin';
import { REQUEST_TYPE_LABELS, REQUEST_TYPES, type RequestType } from '../../common/labels.ts';
import { useMe } from '../../common/useMe.ts';
import type { RequestFormFacts } from '../../../../domain/request-form-facts.ts';
import { RequestFields } from './fields.tsx';
import { FormFacts } from './FormFacts.tsx';
import { requestResolver, toPayload } from './payload.ts';
import { FORM_ID, ReviewToolbar } from './ReviewToolbar.tsx';

const DESCRIPTIONS: Record<RequestType, string> = {
  NEW_INSTALLATION: 'A new license for a new system, taken from your stock.',
  CHANNEL_EXPANSION: 'More channels on an existing license, from your stock.',
  STOCK_ADDITION: 'Add channels to your stock against a purchase order.',
  UPGRADE: 'Move a license to a newer version or a higher tier.',
  OWNERSHIP_CHANGE: 'Move licenses to another company, with the owner’s consent.',
  HARDWARE_REPLACEMENT: 'Re-bind a license to new hardware after a failure.',
  RETURN_CONFIRMATION: 'Return channels from a license to your stock.',
};

function TypeChooser() {
  return (
    <Box sx={{ mt: 1 }}>
      <Title title="New request" />
      <Typography variant="h5" component="h1" sx={{ mb: 0.5 }}>
        New request
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        What do you need? Choose the kind of request.
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '1fr 1fr 1fr' }, gap: 2 }}>
        {REQUEST_TYPES.map((type) => (
          <Card key={type}>
            <CardActionArea component={Link} to={`/requests/create?type=${type}`} sx={{ height: '100%' }}>
              <CardContent>
                <Typography variant="h6" component="h2" sx={{ fontSize: 17 }}>
                  {REQUEST_TYPE_LABELS[type]}
                </Typography>
                <Typography variant="body2" color="text.secondary">
                  {DESCRIPTIONS[type]}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        ))}
      </Box>
    </Box>
  );
}

/** A form per request type; validated inline with the server's schema, then confirmed. */
export function RequestCreate() {
  const [params] = useSearchParams();
  const type = params.get('type') as RequestType | null;
  const { me } = useMe();
  // What the rules need besides the values (product, stock, license): FormFacts loads it, the resolver reads it.
  const facts = useRef<RequestFormFacts>({});
  const resolver = useMemo(() => {
    facts.current = {};
    return requestResolver(type ?? 'NEW_INSTALLATION', () => facts.current);
  }, [type]);
  if (!type || !REQUEST_TYPES.includes(type)) return <TypeChooser />;
  if (!me) return null;
  const defaults = {
    type,
    deliveryEmailsText: me.email,
    vcaChannels: 0,
    lock: { type: 'MAC', value: '' },
    oldLock: { type: 'MAC', value: '' },
    newLock: { type: 'MAC', value: '' },
    interimLicense: false,
    ...(type === 'OWNERSHIP_CHANGE' ? { currentOwnerCompanyId: me.companyId } : {}),
  };
  return (
    <Create
      key={type}
      resource="requests"
      title={`New request: ${REQUEST_TYPE_LABELS[type]}`}
      redirect="show"
      transform={toPayload}
      mutationMode="pessimistic"
      sx={{ maxWidth: 900 }}
    >
      <SimpleForm id={FORM_ID} defaultValues={defaults} resolver={resolver} toolbar={<ReviewToolbar type={type} />} mode="onBlur" reValidateMode="onChange">
        <Typography variant="body2" color="text.secondary">
          <Link to="/requests/create">All request types</Link> › {REQUEST_TYPE_LABELS[type]}
        </Typography>
        <RequestFields type={type} />
        <FormFacts type={type} into={facts} />
      </SimpleForm>
    </Create>
  );
}
