import { describe, expect, it } from 'vitest';
import { requestFormFor } from '../../domain/request-form-facts.ts';
import { stockReshipForm } from '../../domain/request-forms.ts';
import { checkReshippable, checkReshipper, checkReshipStock, reshipDealer } from '../../domain/request-rules.ts';
import { pro, refusalWithCode as refusal } from '../support/rule-fixtures.ts';

const DISTRIBUTOR = '0b6f7c1e-1111-4a57-9a43-1f2d7c1e9b10';
const DEALER = '0b6f7c1e-2222-4a57-9a43-1f2d7c1e9b10';

describe('stock reship rules', () => {
  it('only a distributor reships', () => {
    expect(() => checkReshipper({ kind: 'DISTRIBUTOR' })).not.toThrow();
    for (const kind of ['DEALER', 'INTEGRATOR', 'VENDOR']) {
      expect(refusal(() => checkReshipper({ kind }))).toEqual({
        message: 'Only a distributor can reship stock to its dealers, and your company is not a distributor. Ask your distributor or the license desk.',
        field: 'type',
        code: 'NOT_A_DISTRIBUTOR',
      });
    }
  });

  it("only to one of the distributor's own dealers; any other company reads alike", () => {
    const dealer = { id: DEALER, parentId: DISTRIBUTOR, name: 'Tapsan Turva Oy' };
    expect(reshipDealer(dealer, DISTRIBUTOR)).toBe(dealer);
    const notYours = {
      message: 'This company is not one of your dealers; choose the dealer from the list of your dealers.',
      field: 'dealerCompanyId',
      code: 'NOT_YOUR_DEALER',
    };
    expect(refusal(() => reshipDealer(null, DISTRIBUTOR))).toEqual(notYours);
    expect(refusal(() => reshipDealer({ ...dealer, parentId: null }, DISTRIBUTOR))).toEqual(notYours);
    expect(refusal(() => reshipDealer({ ...dealer, parentId: '0b6f7c1e-3333-4a57-9a43-1f2d7c1e9b10' }, DISTRIBUTOR))).toEqual(notYours);
    expect(refusal(() => reshipDealer({ id: DISTRIBUTOR, parentId: DISTRIBUTOR }, DISTRIBUTOR))).toEqual(notYours);
  });

  it('a demo product is not kept in stock, so it cannot be reshipped; an external one can', () => {
    expect(() => checkReshippable(pro)).not.toThrow();
    expect(() => checkReshippable({ ...pro, name: 'UM4730 external' })).not.toThrow();
    expect(refusal(() => checkReshippable({ ...pro, name: 'V9 Pro Demo', isDemo: true }))).toEqual({
      message: 'V9 Pro Demo is a demo product; demo licenses are not kept in stock, so they cannot be reshipped.',
      field: 'productId',
      code: 'DEMO_NOT_IN_STOCK',
    });
  });

  it('the stock never goes below zero: at most the available channels', () => {
    expect(() => checkReshipStock(pro, 40, 40)).not.toThrow();
    expect(refusal(() => checkReshipStock(pro, 41, 40))).toEqual({
      message: 'You have 40 channels of V9 Pro available; reship at most 40, or add stock first with a stock addition request.',
      field: 'channels',
      code: 'STOCK_SHORT',
    });
    expect(refusal(() => checkReshipStock(pro, 2, 1)).message).toBe(
      'You have 1 channel of V9 Pro available; reship at most 1, or add stock first with a stock addition request.',
    );
    expect(refusal(() => checkReshipStock(pro, 1, 0)).message).toBe(
      'You have no channels of V9 Pro available to reship. Add stock first with a stock addition request.',
    );
  });
});

describe('the stock reship form', () => {
  const valid = {
    type: 'STOCK_RESHIP',
    productId: '0b6f7c1e-4444-4a57-9a43-1f2d7c1e9b10',
    dealerCompanyId: DEALER,
    channels: 20,
    note: 'SO-12345',
    deliveryEmails: ['orders@example.com'],
  };
  const errorsOf = (schema: typeof stockReshipForm | ReturnType<typeof requestFormFor>, body: unknown) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
  };

  it('takes a product, a dealer, whole channels of at least 1 and an optional note', () => {
    expect(errorsOf(stockReshipForm, valid)).toEqual({});
    expect(errorsOf(stockReshipForm, { ...valid, note: undefined })).toEqual({});
    expect(errorsOf(stockReshipForm, { ...valid, channels: 0 })).toEqual({ channels: 'Channels to reship must be at least 1' });
    expect(errorsOf(stockReshipForm, { ...valid, channels: 2.5 })).toEqual({ channels: 'Channels to reship must be a whole number' });
    expect(errorsOf(stockReshipForm, { ...valid, channels: undefined })).toEqual({ channels: 'Give the number of channels to reship' });
    expect(errorsOf(stockReshipForm, { ...valid, dealerCompanyId: '' })).toEqual({ dealerCompanyId: 'Choose the dealer to send the channels to' });
    expect(errorsOf(stockReshipForm, { ...valid, productId: 'x' })).toEqual({ productId: 'Choose a product' });
    expect(errorsOf(stockReshipForm, { ...valid, note: 'x'.repeat(501) })).toEqual({ note: 'Note can be at most 500 characters' });
  });

  it("the UI's form refuses with the same rules once it knows the product and the stock", () => {
    const form = requestFormFor('STOCK_RESHIP', { product: pro, available: 12 });
    expect(errorsOf(form, { ...valid, channels: 12 })).toEqual({});
    expect(errorsOf(form, valid)).toEqual({
      channels: 'You have 12 channels of V9 Pro available; reship at most 12, or add stock first with a stock addition request.',
    });
    expect(errorsOf(requestFormFor('STOCK_RESHIP', { product: { ...pro, name: 'V9 Demo', isDemo: true }, available: 50 }), valid)).toEqual({
      productId: 'V9 Demo is a demo product; demo licenses are not kept in stock, so they cannot be reshipped.',
    });
  });
});
