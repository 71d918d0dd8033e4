-- Copies guard their updates with the source aggregate's sequence number. The global position is not an
-- order of one aggregate's events: an event that fills a gap is seen with the later position of the
-- event that overtook it, so a guard on positions dropped the second of two events committed together.
ALTER TABLE customer_copies ADD COLUMN version BIGINT NOT NULL DEFAULT -1;
ALTER TABLE product_copies ADD COLUMN version BIGINT NOT NULL DEFAULT -1;
