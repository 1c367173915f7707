-- A separate migration: PostgreSQL refuses a new enum value in the transaction that added it.
--   available = credited + returned + released - reserved - debited
CREATE OR REPLACE VIEW "StockBalance" AS
SELECT
  "companyId",
  "productId",
  SUM(CASE "kind" WHEN 'CREDIT' THEN "channels" WHEN 'RETURN' THEN "channels" WHEN 'RELEASE' THEN "channels"
                  WHEN 'RESERVE' THEN -"channels" WHEN 'DEBIT' THEN -"channels" ELSE 0 END)::integer AS "available",
  SUM(CASE "kind" WHEN 'RESERVE' THEN "channels" WHEN 'RELEASE' THEN -"channels" WHEN 'CONSUME' THEN -"channels"
                  ELSE 0 END)::integer AS "reserved",
  SUM(CASE "kind" WHEN 'CONSUME' THEN "channels" WHEN 'RETURN' THEN -"channels" ELSE 0 END)::integer AS "consumed",
  MAX("createdAt") AS "updatedAt"
FROM "StockLedgerEntry"
GROUP BY "companyId", "productId";
