-- Request files (docs/request-file.md): the nonce of each file the desk accepted, so that a file
-- is good for one request or one return confirmation and a second use is refused as a replay.
CREATE TABLE "RequestFileUse" (
    "nonce" TEXT NOT NULL,
    "requestId" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RequestFileUse_pkey" PRIMARY KEY ("nonce"),
    CONSTRAINT "RequestFileUse_purpose_check" CHECK ("purpose" IN ('SUBMISSION', 'RETURN_CONFIRMATION'))
);

CREATE INDEX "RequestFileUse_requestId_idx" ON "RequestFileUse"("requestId");

ALTER TABLE "RequestFileUse" ADD CONSTRAINT "RequestFileUse_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;
