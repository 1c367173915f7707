import type { ReactNode } from 'react';
import { Box, Typography } from '@mui/material';
import { useFormContext, useWatch } from 'react-hook-form';
import { AutocompleteInput, BooleanInput, NumberInput, RadioButtonGroupInput, ReferenceInput, TextInput, type RaRecord, useTranslate } from 'react-admin';
import { formatMac, type RequestType } from '../../common/labels.ts';
import { useMe } from '../../common/useMe.ts';
import { RequestFilePicker, useRequestFileGiven } from './RequestFilePicker.tsx';
import { StockHint } from './StockHint.tsx';

const LOCK_TYPES = [
  { id: 'MAC', name: 'ld.form.lock_mac' },
  { id: 'HARDWARE_KEY', name: 'ld.form.lock_key' },
];

function Row({ children }: { children: ReactNode }) {
  return <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', width: '100%', '& > *': { flex: '1 1 240px' } }}>{children}</Box>;
}

/** A section of the form; its words are a message key. */
function Heading({ children }: { children: string }) {
  const translate = useTranslate();
  return (
    <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mt: 2, mb: 0.5 }}>
      {translate(children)}
    </Typography>
  );
}

const productText = (p: RaRecord) => `${p.name as string}${p.isDemo ? '' : ''} (${p.code as string})`;

function ProductInput({ source, label, helperText }: { source: string; label: string; helperText?: string }) {
  return (
    <ReferenceInput source={source} reference="products" sort={{ field: 'name', order: 'ASC' }} perPage={100}>
      <AutocompleteInput label={label} optionText={productText} filterToQuery={(q) => ({ q })} helperText={helperText ?? false} />
    </ReferenceInput>
  );
}

/**
 * Channels with the stock beside them ("45 camera channels in stock"). `takes`: the request takes
 * them from the stock (the hint turns red when they exceed it); `inRange`: also the product's range.
 */
function ChannelsWithStock({
  source,
  label,
  productSource,
  takes = false,
  inRange = false,
}: {
  source: string;
  label: string;
  productSource: string;
  takes?: boolean;
  inRange?: boolean;
}) {
  const [productId, channels] = useWatch({ name: [productSource, source] }) as [string | undefined, unknown];
  return (
    <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', width: '100%' }}>
      <NumberInput source={source} label={label} min={1} step={1} sx={{ maxWidth: 220 }} helperText={false} />
      <StockHint productId={productId} channels={takes ? channels : undefined} inRange={inRange} />
    </Box>
  );
}

/** A lock typed in, or (`fromFile`) read-only while a request file gives it. */
function LockInputs({ source, title, fromFile = false }: { source: string; title: string; fromFile?: boolean }) {
  const type = useWatch({ name: `${source}.type` }) as string | undefined;
  const given = useRequestFileGiven() && fromFile;
  return (
    <Row>
      <RadioButtonGroupInput source={`${source}.type`} label={title} choices={LOCK_TYPES} helperText={false} readOnly={given} />
      <TextInput
        source={`${source}.value`}
        label={type === 'HARDWARE_KEY' ? 'ld.form.lock_key' : 'ld.form.lock_mac'}
        helperText={given ? 'ld.form.from_request_file' : type === 'HARDWARE_KEY' ? 'ld.form.key_helper' : 'ld.form.mac_helper'}
        readOnly={given}
      />
    </Row>
  );
}

const licenseText = (l: RaRecord) => `${l.serial as string} · ${l.endUserCompany as string}${l.macAddress ? ` · ${formatMac(l.macAddress as string)}` : ''}`;

/**
 * Picks one of the company's licenses by serial, MAC or end user, and fills in the serial
 * (and the MAC) the request needs. The serial can also be typed.
 */
function LicensePicker({ withMac = false }: { withMac?: boolean }) {
  const { setValue } = useFormContext();
  // A request file gives the MAC: the license's MAC does not overwrite it, and it cannot be typed over.
  const fromFile = useRequestFileGiven();
  return (
    <>
      <ReferenceInput source="licenseId" reference="licenses" sort={{ field: 'createdAt', order: 'DESC' }}>
        <AutocompleteInput
          label="ld.form.find_license"
          optionText={licenseText}
          filterToQuery={(q) => ({ q })}
          helperText="ld.form.find_license_helper"
          onChange={(_value: unknown, record: RaRecord | '') => {
            const license = record || undefined;
            if (!license) return;
            setValue('serial', license.serial, { shouldValidate: true, shouldDirty: true });
            setValue('licenseProductId', license.productId);
            if (withMac && !fromFile && license.macAddress)
              setValue('macAddress', formatMac(license.macAddress as string), { shouldValidate: true, shouldDirty: true });
          }}
        />
      </ReferenceInput>
      <Row>
        <TextInput source="serial" label="ld.form.serial" helperText="ld.form.serial_helper" />
        {withMac ? (
          <TextInput
            source="macAddress"
            label="ld.form.mac_locked"
            helperText={fromFile ? 'ld.form.from_request_file' : 'ld.form.mac_helper'}
            readOnly={fromFile}
          />
        ) : null}
      </Row>
    </>
  );
}

/** One of the distributor's own dealers (the API lists them by parentId, whether or not it sees their data). */
function DealerInput() {
  const { me } = useMe();
  return (
    <ReferenceInput source="dealerCompanyId" reference="companies" sort={{ field: 'name', order: 'ASC' }} filter={{ parentId: me?.companyId }}>
      <AutocompleteInput label="ld.form.dealer" optionText="name" filterToQuery={(q) => ({ q })} helperText="ld.form.dealer_helper" />
    </ReferenceInput>
  );
}

function Delivery() {
  return (
    <>
      <Heading>ld.form.delivery</Heading>
      <TextInput source="deliveryEmailsText" label="ld.form.delivery_emails" helperText="ld.form.delivery_helper" fullWidth />
      <TextInput source="comments" label="ld.form.comments" multiline minRows={2} fullWidth helperText={false} />
    </>
  );
}

export function RequestFields({ type }: { type: RequestType }) {
  switch (type) {
    case 'NEW_INSTALLATION':
      return (
        <>
          <Heading>ld.form.license</Heading>
          <ProductInput source="productId" label="ld.form.product" />
          <ChannelsWithStock source="channels" label="ld.form.ip_channels" productSource="productId" takes inRange />
          <NumberInput source="vcaChannels" label="ld.form.vca_channels" min={0} step={1} sx={{ maxWidth: 220 }} helperText={false} />
          <Heading>ld.form.hardware_lock</Heading>
          <RequestFilePicker fills="lock" />
          <LockInputs source="lock" title="ld.form.lock_to" fromFile />
          <TextInput source="hardwareSerial" label="ld.form.hardware_serial" helperText={false} />
          <Heading>ld.form.end_user_and_order</Heading>
          <Row>
            <TextInput source="endUserCompany" label="ld.form.end_user_company" helperText="ld.form.mandatory" />
            <TextInput source="endUserContact" label="ld.form.end_user_contact" helperText={false} />
          </Row>
          <Row>
            <TextInput source="orderType" label="ld.form.order_type" helperText={false} />
            <TextInput source="vendorRef" label="ld.form.vendor_ref" helperText={false} />
            <TextInput source="ordererRef" label="ld.form.orderer_ref" helperText={false} />
          </Row>
          <Delivery />
        </>
      );
    case 'CHANNEL_EXPANSION':
      return (
        <>
          <Heading>ld.form.license</Heading>
          <RequestFilePicker fills="macAddress" />
          <LicensePicker withMac />
          <ChannelsWithStock source="channels" label="ld.form.channels_to_add" productSource="licenseProductId" takes />
          <Delivery />
        </>
      );
    case 'STOCK_ADDITION':
      return (
        <>
          <Heading>ld.form.stock</Heading>
          <ProductInput source="productId" label="ld.form.product" />
          <ChannelsWithStock source="channels" label="ld.form.channels_to_add" productSource="productId" />
          <TextInput source="orderReference" label="ld.form.order_reference" />
          <Delivery />
        </>
      );
    case 'UPGRADE':
      return (
        <>
          <Heading>ld.form.license</Heading>
          <LicensePicker withMac />
          <ProductInput source="targetProductId" label="ld.form.upgrade_to" helperText="ld.form.upgrade_helper" />
          <Delivery />
        </>
      );
    case 'OWNERSHIP_CHANGE':
      return (
        <>
          <Heading>ld.form.licenses</Heading>
          <TextInput source="serialsText" label="ld.form.serials" multiline minRows={2} fullWidth helperText="ld.form.serials_helper" />
          <Heading>ld.form.companies</Heading>
          <Row>
            <ReferenceInput source="currentOwnerCompanyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
              <AutocompleteInput label="ld.form.current_owner" optionText="name" filterToQuery={(q) => ({ q })} helperText="ld.form.current_owner_helper" />
            </ReferenceInput>
            <ReferenceInput source="newOwnerCompanyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
              <AutocompleteInput label="ld.form.new_owner" optionText="name" filterToQuery={(q) => ({ q })} helperText={false} />
            </ReferenceInput>
          </Row>
          <Delivery />
        </>
      );
    case 'HARDWARE_REPLACEMENT':
      return (
        <>
          <Heading>ld.form.license</Heading>
          <LicensePicker />
          <Heading>ld.form.hardware</Heading>
          <LockInputs source="oldLock" title="ld.form.old_hardware" />
          <LockInputs source="newLock" title="ld.form.new_hardware" />
          <TextInput source="reason" label="ld.form.replacement_reason" multiline minRows={2} fullWidth />
          <BooleanInput source="interimLicense" label="ld.form.interim" helperText="ld.form.interim_helper" />
          <Delivery />
        </>
      );
    case 'PARTIAL_TRANSFER':
      return (
        <>
          <Heading>ld.form.license</Heading>
          <LicensePicker />
          <NumberInput
            source="channels"
            label="ld.form.channels_to_transfer"
            min={1}
            step={1}
            sx={{ maxWidth: 220 }}
            helperText="ld.form.channels_to_transfer_helper"
          />
          <Heading>ld.form.transfer_to</Heading>
          <ReferenceInput source="targetCompanyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
            <AutocompleteInput label="ld.form.target_company" optionText="name" filterToQuery={(q) => ({ q })} helperText="ld.form.target_company_helper" />
          </ReferenceInput>
          <LockInputs source="lock" title="ld.form.new_license_lock" />
          <Row>
            <TextInput source="endUserCompany" label="ld.form.end_user_company" helperText="ld.form.end_user_optional" />
            <TextInput source="endUserContact" label="ld.form.end_user_contact" helperText={false} />
          </Row>
          <Delivery />
        </>
      );
    case 'SMA_RENEWAL':
      return (
        <>
          <Heading>ld.form.licenses</Heading>
          <TextInput source="serialsText" label="ld.form.serials" multiline minRows={2} fullWidth helperText="ld.form.renewal_serials_helper" />
          <Delivery />
        </>
      );
    case 'RETURN_CONFIRMATION':
      return (
        <>
          <Heading>ld.form.license</Heading>
          <LicensePicker />
          <NumberInput source="channels" label="ld.form.channels_to_return" min={1} step={1} sx={{ maxWidth: 220 }} />
          <Heading>ld.form.request_file</Heading>
          <RequestFilePicker fills="none" />
          <Delivery />
        </>
      );
    case 'STOCK_RESHIP':
      return (
        <>
          <Heading>ld.form.stock</Heading>
          <ProductInput source="productId" label="ld.form.product" />
          <DealerInput />
          <ChannelsWithStock source="channels" label="ld.form.channels_to_reship" productSource="productId" takes />
          <TextInput source="note" label="ld.form.reship_note" helperText="ld.form.reship_note_helper" fullWidth />
          <Delivery />
        </>
      );
  }
}
