import type { MailKind, MailModel } from '../../services/mail/templates.ts';

/** One model of every kind, about the same request; `base` overrides the shared fields. */
export function sampleModels(
  base: {
    requestId?: string;
    requestNumber?: number;
    companyName?: string;
    publicUrl?: string;
  } = {},
): { [K in MailKind]: Extract<MailModel, { kind: K }> } {
  const request = {
    requestId: base.requestId ?? '5b8f0c36-6c1e-4a57-9a43-1f2d7c1e9b10',
    requestNumber: base.requestNumber ?? 42,
    requestType: 'NEW_INSTALLATION' as const,
    companyName: base.companyName ?? 'Tapsan Turva Oy',
    publicUrl: base.publicUrl ?? 'https://licenses.example.com/',
    timeZone: 'Europe/Helsinki',
  };
  return {
    request_received: { kind: 'request_received', ...request, productName: 'Mirasys V9 Pro', channels: 16, dueAt: '2026-11-24T14:00:00.000Z' },
    information_requested: {
      kind: 'information_requested',
      ...request,
      question: 'Which MAC address should the license be bound to?\nThe one given is a virtual NIC.',
      respondBy: new Date('2026-11-27T10:00:00Z'),
    },
    approved: {
      kind: 'approved',
      ...request,
      serial: 'V8WJNEE89Q6A',
      productName: 'Mirasys V9 Pro',
      channels: 16,
      vcaChannels: 2,
      lock: 'c8d9d29aa31b',
      revision: 1,
      fileName: 'license-V8WJNEE89Q6A.lic',
      licenseId: '0d6a1c44-2f59-4b0b-8d0e-4f9a7f1c2b33',
    },
    interim_license: {
      kind: 'interim_license',
      ...request,
      requestType: 'HARDWARE_REPLACEMENT',
      serial: 'K3M9P2Q7R4ST',
      productName: 'Mirasys V9 Pro',
      channels: 16,
      lock: 'MAC: c8:d9:d2:9a:a3:1c',
      fileName: 'license-K3M9P2Q7R4ST.lic',
      licenseId: '7c1e9b10-2f59-4b0b-8d0e-4f9a7f1c2b33',
      validUntil: '2027-01-06T09:30:00.000Z',
      replacedSerial: 'V8WJNEE89Q6A',
    },
    rejected: { kind: 'rejected', ...request, reason: 'The order reference does not match an order from your company.', releasedChannels: 16 },
    reminder: { kind: 'reminder', ...request, waitingBusinessHours: 8, dueAt: '2026-11-24T14:00:00.000Z' },
    escalation: { kind: 'escalation', ...request, waitingBusinessHours: 16, assigneeName: 'Desk Agent' },
    return_waiting_confirm: {
      kind: 'return_waiting_confirm',
      ...request,
      requestType: 'RETURN_CONFIRMATION',
      serial: 'V8WJNEE89Q6A',
      productName: 'Mirasys V9 Pro',
      channelsReturned: 4,
      remainingChannels: 12,
      confirmBy: '2026-12-08T10:00:00.000Z',
      fileName: 'license-V8WJNEE89Q6A.lic',
    },
    return_credited: {
      kind: 'return_credited',
      ...request,
      requestType: 'RETURN_CONFIRMATION',
      serial: 'V8WJNEE89Q6A',
      productName: 'Mirasys V9 Pro',
      channelsReturned: 4,
      balance: 40,
    },
    return_expired: {
      kind: 'return_expired',
      ...request,
      requestType: 'RETURN_CONFIRMATION',
      serial: 'V8WJNEE89Q6A',
      productName: 'Mirasys V9 Pro',
      channelsReturned: 4,
    },
    rma_reminder: {
      kind: 'rma_reminder',
      ...request,
      requestType: 'HARDWARE_REPLACEMENT',
      serial: 'V8WJNEE89Q6A',
      productName: 'Mirasys V9 Pro',
      oldHardware: 'c8d9d29aa31b',
      returnBy: '2026-12-15T10:00:00.000Z',
      reminderNumber: 2,
    },
    sma_expiry: {
      kind: 'sma_expiry',
      companyName: request.companyName,
      publicUrl: request.publicUrl,
      timeZone: 'Europe/Helsinki',
      licenses: [
        { serial: 'V8WJNEE89Q6A', productName: 'Mirasys V9 Pro', channels: 16, endUserCompany: 'Kauppakeskus Oy', smaEnd: '2026-12-20T00:00:00.000Z' },
        { serial: 'K3M9P2Q7R4ST', productName: 'Mirasys V9 Base', channels: 8, smaEnd: '2026-12-01T00:00:00.000Z' },
      ],
    },
    sma_renewed: {
      kind: 'sma_renewed',
      ...request,
      requestType: 'SMA_RENEWAL',
      licenses: [
        {
          serial: 'V8WJNEE89Q6A',
          productName: 'Mirasys V9 Pro',
          previousEnd: '2026-11-20T00:00:00.000Z',
          newEnd: '2027-11-20T00:00:00.000Z',
          fileName: 'license-V8WJNEE89Q6A.lic',
        },
      ],
      coolingOffEndsAt: '2026-12-09T12:00:00.000Z',
    },
    sma_renewal_cancelled: {
      kind: 'sma_renewal_cancelled',
      ...request,
      requestType: 'SMA_RENEWAL',
      licenses: [
        {
          serial: 'V8WJNEE89Q6A',
          productName: 'Mirasys V9 Pro',
          previousEnd: '2027-11-20T00:00:00.000Z',
          newEnd: '2026-11-20T00:00:00.000Z',
          fileName: 'license-V8WJNEE89Q6A.lic',
        },
      ],
      reason: 'Renewed the wrong site',
    },
    stock_credited: {
      kind: 'stock_credited',
      ...request,
      requestType: 'STOCK_ADDITION',
      productName: 'Mirasys V9 Pro',
      channels: 50,
      orderReference: 'PO-2026-118',
      balance: 120,
    },
    ownership_consent_requested: {
      kind: 'ownership_consent_requested',
      ...request,
      requestType: 'OWNERSHIP_CHANGE',
      currentOwnerName: 'Vanha Turva Oy',
      newOwnerName: request.companyName,
      serials: ['V8WJNEE89Q6A', 'K3M9P2Q7R4ST'],
      respondBy: '2026-12-01T10:00:00.000Z',
    },
    ownership_changed: {
      kind: 'ownership_changed',
      ...request,
      requestType: 'OWNERSHIP_CHANGE',
      previousOwnerName: 'Vanha Turva Oy',
      newOwnerName: request.companyName,
      serials: ['V8WJNEE89Q6A', 'K3M9P2Q7R4ST'],
    },
    external_file_waiting: { kind: 'external_file_waiting', ...request, productName: 'NEC SV9100 InMail', waitingBusinessHours: 24 },
    cancelled: { kind: 'cancelled', ...request, reason: 'Ordered twice by mistake.', releasedChannels: 16 },
    invitation: {
      kind: 'invitation',
      userName: 'Tapio Koistinen',
      companyName: request.companyName,
      invitedBy: 'Anna Admin',
      url: 'https://licenses.example.com/#/set-password?token=abc&purpose=invitation',
      expiresAt: '2026-11-29T10:00:00.000Z',
    },
    password_reset: {
      kind: 'password_reset',
      userName: 'Tapio Koistinen',
      url: 'https://licenses.example.com/#/set-password?token=abc&purpose=reset',
      expiresAt: '2026-11-24T11:00:00.000Z',
    },
  };
}
