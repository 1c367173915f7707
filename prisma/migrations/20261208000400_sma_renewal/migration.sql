-- SMA renewal requests (SMA_RENEWAL): the product's grace period after an SMA's end, and the
-- cooling-off period after an issued renewal in which the partner may cancel it (COOLING_OFF,
-- until Request.coolingOffEndsAt). New enum values are only added here, not used: PostgreSQL
-- refuses a new value in the transaction that added it.
ALTER TYPE "RequestType" ADD VALUE 'SMA_RENEWAL';
ALTER TYPE "RequestStatus" ADD VALUE 'COOLING_OFF' BEFORE 'COMPLETED';

ALTER TABLE "Product" ADD COLUMN "smaGraceDays" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "Product" ADD CONSTRAINT "Product_smaGraceDays_range" CHECK ("smaGraceDays" >= 0 AND "smaGraceDays" <= 3650);

ALTER TABLE "Request" ADD COLUMN "coolingOffEndsAt" TIMESTAMP(3);
