-- What an administrator runs once on an external PostgreSQL that Orderly does not manage
-- (orderly.database.manage-roles=false, the default with an external URL). docker-compose runs it at
-- the database's first start. Replace the development passwords everywhere else.
--
-- The event-store role owns the event store, the Idempotency-Key answers and the command side's
-- set-validation tables.
-- Each domain role owns exactly one schema, and PUBLIC loses its rights on schema public, so that no
-- role can reach a schema it does not own. ExternalDatabaseIT runs this very file.
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly') THEN CREATE ROLE orderly LOGIN; END IF; END $$;
ALTER ROLE orderly WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-dev';
CREATE SCHEMA IF NOT EXISTS event_store AUTHORIZATION orderly;
ALTER SCHEMA event_store OWNER TO orderly;
CREATE SCHEMA IF NOT EXISTS idempotency AUTHORIZATION orderly;
ALTER SCHEMA idempotency OWNER TO orderly;
CREATE SCHEMA IF NOT EXISTS customer_registry AUTHORIZATION orderly;
ALTER SCHEMA customer_registry OWNER TO orderly;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_customer') THEN CREATE ROLE orderly_customer LOGIN; END IF; END $$;
ALTER ROLE orderly_customer WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-customer-dev';
CREATE SCHEMA IF NOT EXISTS customer AUTHORIZATION orderly_customer;
ALTER SCHEMA customer OWNER TO orderly_customer;
ALTER ROLE orderly_customer SET search_path = customer;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
