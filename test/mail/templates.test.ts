import { describe, expect, it } from 'vitest';
import { escapeHtml, formatDateTime, formatRequestNumber, renderMail, type MailKind } from '../../services/mail/templates.ts';
import { sampleModels } from './sample-models.ts';

const models = sampleModels();
const kinds = Object.keys(models) as MailKind[];
const REQUEST_LINK = 'https://licenses.example.com/#/requests/5b8f0c36-6c1e-4a57-9a43-1f2d7c1e9b10/show';

describe('mail templates', () => {
  it('covers all twenty-five kinds', () => {
    expect(kinds).toHaveLength(25);
  });

  it.each(kinds)('renders %s with a subject, a text part and an HTML part', (kind) => {
    const mail = renderMail(models[kind]);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text.length).toBeGreaterThan(100);
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    expect(mail.html).toContain('</html>');
    // Inline styles only, no external assets.
    expect(mail.html).not.toMatch(/<link|<script|<img|src=|url\(/i);
    if (kind === 'sma_expiry') {
      expect(mail.subject).toBe('SMA ending within 30 days: 2 licenses of Tapsan Turva Oy');
      expect(mail.text).toContain('Open your licenses: https://licenses.example.com/#/licenses\n');
      // The reminder links to the renewal form, filled in with its serials, soonest first.
      expect(mail.text).toContain('Renew the SMA: https://licenses.example.com/#/requests/create?type=SMA_RENEWAL&serials=K3M9P2Q7R4ST,V8WJNEE89Q6A\n');
      expect(mail.text).toContain('- Serial: K3M9P2Q7R4ST, Product: Mirasys V9 Base, Channels: 8, SMA ends: 2026-12-01\n');
    } else if (kind === 'invitation' || kind === 'password_reset') {
      // Account mails are about a person, not a request: the single-use link is the point.
      expect(mail.text).toContain(`https://licenses.example.com/#/set-password?token=abc&purpose=${kind === 'invitation' ? 'invitation' : 'reset'}`);
      // A reset link lasts an hour: the time of day matters, not only the date.
      expect(mail.text).toMatch(/works once, until 2026-11-2\d \d\d:\d\d UTC\./);
      expect(mail.text).not.toContain('comment on the request');
    } else if (kind === 'channels_received') {
      // The receiving company of a partial transfer does not see the request: its mail links its new license.
      expect(mail.subject).toMatch(/^LD-000042 /);
      expect(mail.text).toContain('Open the license: https://licenses.example.com/#/licenses/');
      expect(mail.text).not.toContain(REQUEST_LINK);
    } else {
      expect(mail.subject).toMatch(/^LD-000042 /);
      expect(mail.text).toContain('LD-000042');
      expect(mail.text).toContain(REQUEST_LINK);
      expect(mail.html).toContain(`href="${REQUEST_LINK}"`);
    }
  });

  it('names the request and what happened in the subject', () => {
    expect(renderMail(models.approved).subject).toBe('LD-000042 approved: license V8WJNEE89Q6A');
    expect(renderMail(models.rejected).subject).toBe('LD-000042 rejected: New installation');
    expect(renderMail(models.request_received).subject).toBe('LD-000042 received: New installation for Tapsan Turva Oy');
    expect(renderMail(models.reminder).subject).toBe('LD-000042 reminder: New installation for Tapsan Turva Oy waiting 8 business hours');
    expect(renderMail(models.return_credited).subject).toBe('LD-000042 return confirmed: 4 channels credited to stock');
    expect(renderMail(models.stock_credited).subject).toBe('LD-000042 stock credited: 50 channels of Mirasys V9 Pro');
  });

  it('says an interim license is interim and not yet approved, in its subject and its body', () => {
    const interim = renderMail(models.interim_license);
    expect(interim.subject).toBe('LD-000042 interim license K3M9P2Q7R4ST, valid until 2027-01-06 (request not yet approved)');
    expect(interim.text).toContain(
      'This is an interim license for your new hardware, valid until 2027-01-06 11:30 Europe/Helsinki: install license-K3M9P2Q7R4ST.lic (attached) now to keep working. ' +
        'Your hardware replacement request LD-000042 is not approved yet. When the desk approves it, in office hours, license V8WJNEE89Q6A moves to the new hardware and you receive its file.',
    );
    expect(interim.text).not.toMatch(/approved:/);
  });

  it('shows the facts a partner needs', () => {
    const approved = renderMail(models.approved);
    expect(approved.text).toContain('license-V8WJNEE89Q6A.lic');
    expect(approved.text).toMatch(/Channels: +16/);
    expect(approved.text).toMatch(/Locked to: +c8d9d29aa31b/);
    expect(approved.text).toContain('https://licenses.example.com/#/licenses/0d6a1c44-2f59-4b0b-8d0e-4f9a7f1c2b33/show');
    expect(renderMail(models.rejected).text).toContain('The order reference does not match an order from your company.');
    // Dates in the recipient's time zone.
    expect(renderMail(models.request_received).text).toContain('2026-11-24 16:00 Europe/Helsinki');
    // The SMA digest lists the earliest end first.
    const sma = renderMail(models.sma_expiry).text;
    expect(sma.indexOf('K3M9P2Q7R4ST')).toBeLessThan(sma.indexOf('V8WJNEE89Q6A'));
  });

  it('escapes every interpolated value in the HTML part', () => {
    const hostile = '<script>alert("owned")</script> & Sons';
    const all = sampleModels({ companyName: hostile });
    for (const kind of kinds.filter((k) => k !== 'password_reset')) {
      const mail = renderMail(all[kind]);
      expect(mail.html, kind).not.toContain('<script>');
      expect(mail.html, kind).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; Sons');
      // The text part carries the value as it is.
      expect(mail.text, kind).toContain(hostile);
    }
    const question = renderMail({ ...models.information_requested, question: '<img src=x onerror="alert(1)">' });
    expect(question.html).not.toContain('<img');
    expect(question.html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it('keeps the subject on one line', () => {
    const mail = renderMail({ ...models.request_received, companyName: 'Evil\r\nBcc: victim@example.com' });
    expect(mail.subject).toBe('LD-000042 received: New installation for Evil Bcc: victim@example.com');
  });

  it('refuses an SMA digest without licenses', () => {
    expect(() => renderMail({ ...models.sma_expiry, licenses: [] })).toThrow(/at least one license/);
  });

  it('formats numbers, dates and HTML the same way everywhere', () => {
    expect(formatRequestNumber(123)).toBe('LD-000123');
    expect(formatRequestNumber(1234567)).toBe('LD-1234567');
    expect(escapeHtml(`<a href='x'>&"</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;');
    expect(formatDateTime('2026-06-01T09:05:00Z')).toBe('2026-06-01 09:05 UTC');
    expect(() => formatDateTime('not a date')).toThrow(/ISO 8601/);
  });
});
