-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint;

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "eventType" TEXT NOT NULL,
ADD COLUMN     "resourceKey" TEXT NOT NULL;

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_resourceKey_eventId_idx" ON "WebhookDelivery"("endpointId", "resourceKey", "eventId");

-- Hand-written (Prisma cannot declare these).
-- The relay's queue of work: only unrelayed events, so claiming and measuring lag stay cheap
-- however large the feed grows.
CREATE INDEX "Event_unrelayed_idx" ON "Event"("id") WHERE "relayedAt" IS NULL;

-- Wake the relay after commit: NOTIFY is delivered when the inserting transaction commits
-- (never for a rollback), and one notification per statement is plenty.
CREATE OR REPLACE FUNCTION roster_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('roster_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "Event_notify" AFTER INSERT ON "Event" FOR EACH STATEMENT EXECUTE FUNCTION roster_notify_event();
