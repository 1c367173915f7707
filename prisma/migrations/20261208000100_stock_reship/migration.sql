-- Stock reship: a distributor moves channels of its stock to one of its dealers. A request type of
-- its own, two ledger kinds (the distributor's TRANSFER_OUT settles its reservation, the dealer's
-- TRANSFER_IN credits its stock), and the distributor's switch for the desk's approval.
ALTER TYPE "RequestType" ADD VALUE 'STOCK_RESHIP';
ALTER TYPE "StockEntryKind" ADD VALUE 'TRANSFER_OUT';
ALTER TYPE "StockEntryKind" ADD VALUE 'TRANSFER_IN';

ALTER TABLE "Company" ADD COLUMN "reshipNeedsApproval" BOOLEAN NOT NULL DEFAULT true;

-- PostgreSQL refuses a new enum value in the transaction that added it, and this script runs as
-- one; the view therefore compares the kind as text.
--   available = credited + returned + released + transferred in - reserved - debited
--   reserved  = reserved - released - consumed - transferred out
--   consumed  = consumed - returned
CREATE OR REPLACE VIEW "StockBalance" AS
SELECT
  "companyId",
  "productId",
  SUM(CASE "kind"::text WHEN 'CREDIT' THEN "channels" WHEN 'RETURN' THEN "channels" WHEN 'RELEASE' THEN "channels"
                        WHEN 'TRANSFER_IN' THEN "channels" WHEN 'RESERVE' THEN -"channels" WHEN 'DEBIT' THEN -"channels" ELSE 0 END)::integer AS "available",
  SUM(CASE "kind"::text WHEN 'RESERVE' THEN "channels" WHEN 'RELEASE' THEN -"channels" WHEN 'CONSUME' THEN -"channels"
                        WHEN 'TRANSFER_OUT' THEN -"channels" ELSE 0 END)::integer AS "reserved",
  SUM(CASE "kind"::text WHEN 'CONSUME' THEN "channels" WHEN 'RETURN' THEN -"channels" ELSE 0 END)::integer AS "consumed",
  MAX("createdAt") AS "updatedAt"
FROM "StockLedgerEntry"
GROUP BY "companyId", "productId";
