/**
 * The license history actions that the Mirasys license report names (its "Action" column and
 * filter), in the report's English words. The back office shows the same words in English and
 * translates them by these keys (admin-ui/src/i18n).
 */
export const LICENSE_ACTION_LABELS = {
  created: 'License created',
  activated: 'License activated',
  downloaded: 'License downloaded',
  emailed: 'License e-mailed',
  channels_changed: 'Channels changed',
  upgraded: 'License upgraded',
  ownership_changed: 'Ownership changed',
  hardware_replaced: 'Hardware replaced',
  revoked: 'License revoked',
  returned: 'License returned',
  sma_renewed: 'SMA renewal',
  sma_renewal_cancelled: 'SMA renewal cancelled',
};
