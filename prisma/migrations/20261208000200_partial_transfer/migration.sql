-- A partial license transfer: N channels of one license move to another company as a new license.
ALTER TYPE "RequestType" ADD VALUE 'PARTIAL_TRANSFER';
