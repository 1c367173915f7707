-- A hardware replacement approved outside office hours waits for the next opening under a status
-- of its own instead of PROCESSING.
ALTER TYPE "RequestStatus" ADD VALUE 'WAITING_FOR_OFFICE_HOURS' BEFORE 'PROCESSING';
