import { describe, expect, it } from 'vitest';
import { renderMail, type MailKind } from '../../services/mail/templates.ts';
import { sampleModels } from './sample-models.ts';

const models = sampleModels();
const kinds = Object.keys(models) as MailKind[];

/** Issue 12: a recipient who chose Finnish gets the mails in Finnish, with Finnish dates; others get them as before. */
describe('mails in the recipient’s language', () => {
  it.each(kinds)('renders %s in Finnish, with the same links and no English template words', (kind) => {
    const english = renderMail(models[kind]);
    const finnish = renderMail({ ...models[kind], locale: 'fi' });
    expect(finnish.subject).not.toBe(english.subject);
    expect(finnish.html).toContain('<html lang="fi">');
    expect(english.html).toContain('<html lang="en">');
    expect(finnish.text).toContain('Tämä on License Deskin automaattinen viesti.');
    // Every link of the English mail is in the Finnish one.
    for (const url of english.text.match(/https:\/\/\S+/g) ?? []) expect(finnish.text).toContain(url);
    expect(finnish.text).not.toMatch(/\b(Request|Company|Open the request|This is an automated message)\b/);
    // Dates in Finnish style, never the English ISO style.
    expect(finnish.text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
  });

  it('writes the approval in Finnish words, dates and type names', () => {
    const mail = renderMail({ ...models.approved, locale: 'fi' });
    expect(mail.subject).toMatch(/^LD-\d{6} hyväksytty: lisenssi \S+$/);
    expect(mail.text).toContain('Tyyppi:');
    expect(renderMail({ ...models.invitation, locale: 'fi' }).text).toMatch(/toimii kerran, \d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2} \(UTC\) asti\./);
  });

  it('keeps English as it was when the locale is en or absent', () => {
    for (const kind of kinds) expect(renderMail({ ...models[kind], locale: 'en' })).toEqual(renderMail(models[kind]));
  });
});
