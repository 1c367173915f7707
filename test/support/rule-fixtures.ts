import { expect } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import type { RuleProduct } from '../../domain/request-rules.ts';

/** The domain rule tests' product: Mirasys V9 Pro, 1–250 channels, locked to a MAC. */
export const pro: RuleProduct = {
  name: 'V9 Pro',
  active: true,
  family: 'Mirasys VMS',
  version: '9.0',
  tier: 'PRO',
  isDemo: false,
  minChannels: 1,
  maxChannels: 250,
  lockType: 'MAC',
  hardwareKeyType: null,
};

/** The refusal `run` throws: its code, field and the message the partner reads, as the API answers them. */
export function refusalWithCode(run: () => unknown): { code: string; field?: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const { code, field, message } = error as DomainError;
    return { code, field, message };
  }
  throw new Error('expected a refusal');
}

/** The refusal `run` throws: its field and the message the partner reads. */
export function refusal(run: () => unknown): { field?: string; message: string } {
  const { field, message } = refusalWithCode(run);
  return { field, message };
}
