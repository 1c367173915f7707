import type { ReactNode } from 'react';
import { Box, Typography } from '@mui/material';
import { useFormContext, useWatch } from 'react-hook-form';
import { AutocompleteInput, BooleanInput, NumberInput, RadioButtonGroupInput, ReferenceInput, TextInput, type RaRecord } from 'react-admin';
import { formatMac, type RequestType } from '../../common/labels.ts';
import { StockHint } from './StockHint.tsx';

const LOCK_TYPES = [
  { id: 'MAC', name: 'MAC address' },
  { id: 'HARDWARE_KEY', name: 'Hardware key code' },
];

function Row({ children }: { children: ReactNode }) {
  return <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', width: '100%', '& > *': { flex: '1 1 240px' } }}>{children}</Box>;
}

function Heading({ children }: { children: ReactNode }) {
  return (
    <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mt: 2, mb: 0.5 }}>
      {children}
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

function LockInputs({ source, title }: { source: string; title: string }) {
  const type = useWatch({ name: `${source}.type` }) as string | undefined;
  return (
    <Row>
      <RadioButtonGroupInput source={`${source}.type`} label={title} choices={LOCK_TYPES} helperText={false} />
      <TextInput
        source={`${source}.value`}
        label={type === 'HARDWARE_KEY' ? 'Hardware key code' : 'MAC address'}
        helperText={type === 'HARDWARE_KEY' ? 'As printed on the key, e.g. 1A2B-3C4D' : 'e.g. c8:d9:d2:9a:a3:1b'}
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
  return (
    <>
      <ReferenceInput source="licenseId" reference="licenses" sort={{ field: 'createdAt', order: 'DESC' }}>
        <AutocompleteInput
          label="Find the license (serial, MAC or end user)"
          optionText={licenseText}
          filterToQuery={(q) => ({ q })}
          helperText="Type part of a serial, a MAC address or the end user's name"
          onChange={(_value: unknown, record: RaRecord | '') => {
            const license = record || undefined;
            if (!license) return;
            setValue('serial', license.serial, { shouldValidate: true, shouldDirty: true });
            setValue('licenseProductId', license.productId);
            if (withMac && license.macAddress) setValue('macAddress', formatMac(license.macAddress as string), { shouldValidate: true, shouldDirty: true });
          }}
        />
      </ReferenceInput>
      <Row>
        <TextInput source="serial" label="License serial" helperText="12 characters, e.g. V8WJNEE89Q6A" />
        {withMac ? <TextInput source="macAddress" label="MAC address the license is locked to" helperText="e.g. c8:d9:d2:9a:a3:1b" /> : null}
      </Row>
    </>
  );
}

function Delivery() {
  return (
    <>
      <Heading>Delivery</Heading>
      <TextInput source="deliveryEmailsText" label="Delivery e-mail addresses" helperText="One or more, separated by commas" fullWidth />
      <TextInput source="comments" label="Comments" multiline minRows={2} fullWidth helperText={false} />
    </>
  );
}

export function RequestFields({ type }: { type: RequestType }) {
  switch (type) {
    case 'NEW_INSTALLATION':
      return (
        <>
          <Heading>License</Heading>
          <ProductInput source="productId" label="Product (version and tier)" />
          <ChannelsWithStock source="channels" label="IP channels" productSource="productId" takes inRange />
          <NumberInput source="vcaChannels" label="VCA channels" min={0} step={1} sx={{ maxWidth: 220 }} helperText={false} />
          <Heading>Hardware lock</Heading>
          <LockInputs source="lock" title="Lock the license to" />
          <TextInput source="hardwareSerial" label="Hardware serial (optional)" helperText={false} />
          <Heading>End user and order</Heading>
          <Row>
            <TextInput source="endUserCompany" label="End-user company" helperText="Mandatory" />
            <TextInput source="endUserContact" label="End-user contact" helperText={false} />
          </Row>
          <Row>
            <TextInput source="orderType" label="Order type" helperText={false} />
            <TextInput source="vendorRef" label="Vendor ref." helperText={false} />
            <TextInput source="ordererRef" label="Orderer ref." helperText={false} />
          </Row>
          <Delivery />
        </>
      );
    case 'CHANNEL_EXPANSION':
      return (
        <>
          <Heading>License</Heading>
          <LicensePicker withMac />
          <ChannelsWithStock source="channels" label="Channels to add" productSource="licenseProductId" takes />
          <Delivery />
        </>
      );
    case 'STOCK_ADDITION':
      return (
        <>
          <Heading>Stock</Heading>
          <ProductInput source="productId" label="Product (version and tier)" />
          <ChannelsWithStock source="channels" label="Channels to add" productSource="productId" />
          <TextInput source="orderReference" label="Order reference (PO number)" />
          <Delivery />
        </>
      );
    case 'UPGRADE':
      return (
        <>
          <Heading>License</Heading>
          <LicensePicker withMac />
          <ProductInput source="targetProductId" label="Upgrade to (version and tier)" helperText="Only the next versions or a higher tier" />
          <Delivery />
        </>
      );
    case 'OWNERSHIP_CHANGE':
      return (
        <>
          <Heading>Licenses</Heading>
          <TextInput
            source="serialsText"
            label="License serials"
            multiline
            minRows={2}
            fullWidth
            helperText="One or more serials, separated by commas or new lines"
          />
          <Heading>Companies</Heading>
          <Row>
            <ReferenceInput source="currentOwnerCompanyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
              <AutocompleteInput label="Current owner" optionText="name" filterToQuery={(q) => ({ q })} helperText="Its admin must consent" />
            </ReferenceInput>
            <ReferenceInput source="newOwnerCompanyId" reference="companies" sort={{ field: 'name', order: 'ASC' }}>
              <AutocompleteInput label="New owner" optionText="name" filterToQuery={(q) => ({ q })} helperText={false} />
            </ReferenceInput>
          </Row>
          <Delivery />
        </>
      );
    case 'HARDWARE_REPLACEMENT':
      return (
        <>
          <Heading>License</Heading>
          <LicensePicker />
          <Heading>Hardware</Heading>
          <LockInputs source="oldLock" title="Old hardware" />
          <LockInputs source="newLock" title="New hardware" />
          <TextInput source="reason" label="Reason for the replacement" multiline minRows={2} fullWidth />
          <BooleanInput source="interimLicense" label="Send an interim demo license now" helperText="Useful while the replacement is on its way" />
          <Delivery />
        </>
      );
    case 'RETURN_CONFIRMATION':
      return (
        <>
          <Heading>License</Heading>
          <LicensePicker />
          <NumberInput source="channels" label="Channels to return" min={1} step={1} sx={{ maxWidth: 220 }} />
          <Delivery />
        </>
      );
  }
}
