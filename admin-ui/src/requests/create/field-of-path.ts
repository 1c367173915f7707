// Without zod: the data provider imports this on the login page's first load.

/** The form's own fields that the payload carries under another shape. */
const FIELD_OF_PATH: Array<[RegExp, string]> = [
  [/^deliveryEmails(\.|$)/, 'deliveryEmailsText'],
  [/^serials(\.|$)/, 'serialsText'],
];

/** Where a payload path's error shows in the form (`deliveryEmails.1` → the e-mail text box). */
export function formFieldOf(path: string): string {
  for (const [pattern, field] of FIELD_OF_PATH) if (pattern.test(path)) return field;
  return path;
}
