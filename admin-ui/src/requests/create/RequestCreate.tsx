import { useMemo, useRef } from 'react';
import { Box, Card, CardActionArea, CardContent, Typography } from '@mui/material';
import { Link, useSearchParams } from 'react-router-dom';
import { Create, SimpleForm, Title, useGetOne, useNotify, useRedirect, useTranslate, type RaRecord } from 'react-admin';
import { REQUEST_TYPES, requestReference, useLabel, type RequestType } from '../../common/labels.ts';
import { useMe } from '../../common/useMe.ts';
import type { RequestFormFacts } from '../../../../domain/request-form-facts.ts';
import { RequestFields } from './fields.tsx';
import { FormFacts } from './FormFacts.tsx';
import { requestResolver, toPayload } from './payload.ts';
import { FORM_ID, ReviewToolbar } from './ReviewToolbar.tsx';

/** The request types offered to the user's company: a stock reship only to a distributor (NEC LMS: "for Distributors only"). */
function useOfferedTypes(): RequestType[] {
  const { me } = useMe();
  const { data: company } = useGetOne('companies', { id: me?.companyId ?? '' }, { enabled: !!me?.companyId });
  return REQUEST_TYPES.filter((type) => type !== 'STOCK_RESHIP' || company?.kind === 'DISTRIBUTOR');
}

function TypeChooser() {
  const translate = useTranslate();
  const label = useLabel();
  const offered = useOfferedTypes();
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('ld.form.new_request')} />
      <Typography variant="h5" component="h1" sx={{ mb: 0.5 }}>
        {translate('ld.form.new_request')}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {translate('ld.form.what_do_you_need')}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '1fr 1fr 1fr' }, gap: 2 }}>
        {offered.map((type) => (
          <Card key={type}>
            <CardActionArea component={Link} to={`/requests/create?type=${type}`} sx={{ height: '100%' }}>
              <CardContent>
                <Typography variant="h6" component="h2" sx={{ fontSize: 17 }}>
                  {label('request_type', type)}
                </Typography>
                <Typography variant="body2" color="text.secondary">
                  {translate(`ld.form.desc_${type}`)}
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
  const translate = useTranslate();
  const label = useLabel();
  const notify = useNotify();
  const redirect = useRedirect();
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
    // The SMA reminder mails link here with their serials: /#/requests/create?type=SMA_RENEWAL&serials=A,B
    ...(type === 'SMA_RENEWAL' || type === 'OWNERSHIP_CHANGE' ? { serialsText: (params.get('serials') ?? '').split(',').filter(Boolean).join('\n') } : {}),
    // Started from a license's page ("Transfer channels"): that license is chosen.
    ...(params.get('licenseId') ? { licenseId: params.get('licenseId'), serial: params.get('serial') ?? '' } : {}),
  };
  return (
    <Create
      key={type}
      resource="requests"
      title={translate('ld.form.new_request_of', { type: label('request_type', type) })}
      // In plain words, not react-admin's "Element created": "LD-000012 is with the desk."
      mutationOptions={{
        onSuccess: (request: RaRecord) => {
          notify('ld.request.submitted_toast', { type: 'success', messageArgs: { reference: requestReference(request.number as number) } });
          redirect('show', 'requests', request.id);
        },
      }}
      transform={toPayload}
      mutationMode="pessimistic"
      sx={{ maxWidth: 900 }}
    >
      <SimpleForm id={FORM_ID} defaultValues={defaults} resolver={resolver} toolbar={<ReviewToolbar type={type} />} mode="onBlur" reValidateMode="onChange">
        <Typography variant="body2" color="text.secondary">
          <Link to="/requests/create">{translate('ld.form.all_types')}</Link> › {label('request_type', type)}
        </Typography>
        <RequestFields type={type} />
        <FormFacts type={type} into={facts} />
      </SimpleForm>
    </Create>
  );
}
