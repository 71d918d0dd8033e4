-- What an administrator runs once on an external PostgreSQL that Orderly does not manage
-- (orderly.database.manage-roles=false, the default with an external URL). docker-compose runs it at
-- the database's first start. Replace the development passwords everywhere else.
--
-- The owner role orderly_owner owns the event store, the Idempotency-Key answers, the operator records and the
-- command side's set-validation tables, and runs their migrations (orderly.database.owner-password). The
-- event-store role orderly, which the application runs as, owns nothing: at every start the owner grants it
-- SELECT and INSERT on the events (and DELETE on the snapshots only, which Axon replaces), never UPDATE, DELETE or
-- TRUNCATE on an event, and read-write access to the other main schemas' tables. Orderly refuses to start if
-- orderly may do more.
-- Each domain role owns exactly one schema (and <schema>_rebuild, where a zero-downtime rebuild builds the
-- next version of its read model; a domain role may not create schemas itself), and PUBLIC loses its rights on schema public, so that no
-- role can reach a schema it does not own. ExternalDatabaseIT runs this very file.
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_owner') THEN CREATE ROLE orderly_owner LOGIN; END IF; END $$;
ALTER ROLE orderly_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-owner-dev';
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly') THEN CREATE ROLE orderly LOGIN; END IF; END $$;
ALTER ROLE orderly WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-dev';
CREATE SCHEMA IF NOT EXISTS event_store AUTHORIZATION orderly_owner;
ALTER SCHEMA event_store OWNER TO orderly_owner;
CREATE SCHEMA IF NOT EXISTS idempotency AUTHORIZATION orderly_owner;
ALTER SCHEMA idempotency OWNER TO orderly_owner;
CREATE SCHEMA IF NOT EXISTS ops AUTHORIZATION orderly_owner;
ALTER SCHEMA ops OWNER TO orderly_owner;
CREATE SCHEMA IF NOT EXISTS customer_registry AUTHORIZATION orderly_owner;
ALTER SCHEMA customer_registry OWNER TO orderly_owner;
CREATE SCHEMA IF NOT EXISTS catalog_registry AUTHORIZATION orderly_owner;
ALTER SCHEMA catalog_registry OWNER TO orderly_owner;
-- A database set up by an earlier version, where orderly owned these schemas' tables: the owner takes them over.
DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname IN ('event_store', 'idempotency', 'ops', 'customer_registry', 'catalog_registry')
                AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner <> 'orderly_owner'::regrole
    LOOP EXECUTE format('ALTER TABLE %s OWNER TO orderly_owner', r.rel); END LOOP;
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname IN ('event_store', 'idempotency', 'ops', 'customer_registry', 'catalog_registry')
                AND c.relkind = 'S' AND c.relowner <> 'orderly_owner'::regrole
    LOOP EXECUTE format('ALTER SEQUENCE %s OWNER TO orderly_owner', r.rel); END LOOP;
END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_customer') THEN CREATE ROLE orderly_customer LOGIN; END IF; END $$;
ALTER ROLE orderly_customer WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-customer-dev';
CREATE SCHEMA IF NOT EXISTS customer AUTHORIZATION orderly_customer;
ALTER SCHEMA customer OWNER TO orderly_customer;
ALTER ROLE orderly_customer SET search_path = customer;
CREATE SCHEMA IF NOT EXISTS customer_rebuild AUTHORIZATION orderly_customer;
ALTER SCHEMA customer_rebuild OWNER TO orderly_customer;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_orders') THEN CREATE ROLE orderly_orders LOGIN; END IF; END $$;
ALTER ROLE orderly_orders WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-orders-dev';
CREATE SCHEMA IF NOT EXISTS orders AUTHORIZATION orderly_orders;
ALTER SCHEMA orders OWNER TO orderly_orders;
ALTER ROLE orderly_orders SET search_path = orders;
CREATE SCHEMA IF NOT EXISTS orders_rebuild AUTHORIZATION orderly_orders;
ALTER SCHEMA orders_rebuild OWNER TO orderly_orders;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_catalog') THEN CREATE ROLE orderly_catalog LOGIN; END IF; END $$;
ALTER ROLE orderly_catalog WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-catalog-dev';
CREATE SCHEMA IF NOT EXISTS catalog AUTHORIZATION orderly_catalog;
ALTER SCHEMA catalog OWNER TO orderly_catalog;
ALTER ROLE orderly_catalog SET search_path = catalog;
CREATE SCHEMA IF NOT EXISTS catalog_rebuild AUTHORIZATION orderly_catalog;
ALTER SCHEMA catalog_rebuild OWNER TO orderly_catalog;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_inventory') THEN CREATE ROLE orderly_inventory LOGIN; END IF; END $$;
ALTER ROLE orderly_inventory WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-inventory-dev';
CREATE SCHEMA IF NOT EXISTS inventory AUTHORIZATION orderly_inventory;
ALTER SCHEMA inventory OWNER TO orderly_inventory;
ALTER ROLE orderly_inventory SET search_path = inventory;
CREATE SCHEMA IF NOT EXISTS inventory_rebuild AUTHORIZATION orderly_inventory;
ALTER SCHEMA inventory_rebuild OWNER TO orderly_inventory;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_notification') THEN CREATE ROLE orderly_notification LOGIN; END IF; END $$;
ALTER ROLE orderly_notification WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-notification-dev';
CREATE SCHEMA IF NOT EXISTS notification AUTHORIZATION orderly_notification;
ALTER SCHEMA notification OWNER TO orderly_notification;
ALTER ROLE orderly_notification SET search_path = notification;
CREATE SCHEMA IF NOT EXISTS notification_rebuild AUTHORIZATION orderly_notification;
ALTER SCHEMA notification_rebuild OWNER TO orderly_notification;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_payment') THEN CREATE ROLE orderly_payment LOGIN; END IF; END $$;
ALTER ROLE orderly_payment WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-payment-dev';
CREATE SCHEMA IF NOT EXISTS payment AUTHORIZATION orderly_payment;
ALTER SCHEMA payment OWNER TO orderly_payment;
ALTER ROLE orderly_payment SET search_path = payment;
CREATE SCHEMA IF NOT EXISTS payment_rebuild AUTHORIZATION orderly_payment;
ALTER SCHEMA payment_rebuild OWNER TO orderly_payment;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_shipping') THEN CREATE ROLE orderly_shipping LOGIN; END IF; END $$;
ALTER ROLE orderly_shipping WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-shipping-dev';
CREATE SCHEMA IF NOT EXISTS shipping AUTHORIZATION orderly_shipping;
ALTER SCHEMA shipping OWNER TO orderly_shipping;
ALTER ROLE orderly_shipping SET search_path = shipping;
CREATE SCHEMA IF NOT EXISTS shipping_rebuild AUTHORIZATION orderly_shipping;
ALTER SCHEMA shipping_rebuild OWNER TO orderly_shipping;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_returns') THEN CREATE ROLE orderly_returns LOGIN; END IF; END $$;
ALTER ROLE orderly_returns WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-returns-dev';
CREATE SCHEMA IF NOT EXISTS returns AUTHORIZATION orderly_returns;
ALTER SCHEMA returns OWNER TO orderly_returns;
ALTER ROLE orderly_returns SET search_path = returns;
CREATE SCHEMA IF NOT EXISTS returns_rebuild AUTHORIZATION orderly_returns;
ALTER SCHEMA returns_rebuild OWNER TO orderly_returns;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_cart') THEN CREATE ROLE orderly_cart LOGIN; END IF; END $$;
ALTER ROLE orderly_cart WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-cart-dev';
CREATE SCHEMA IF NOT EXISTS cart AUTHORIZATION orderly_cart;
ALTER SCHEMA cart OWNER TO orderly_cart;
ALTER ROLE orderly_cart SET search_path = cart;
CREATE SCHEMA IF NOT EXISTS cart_rebuild AUTHORIZATION orderly_cart;
ALTER SCHEMA cart_rebuild OWNER TO orderly_cart;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_identity') THEN CREATE ROLE orderly_identity LOGIN; END IF; END $$;
ALTER ROLE orderly_identity WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-identity-dev';
CREATE SCHEMA IF NOT EXISTS identity AUTHORIZATION orderly_identity;
ALTER SCHEMA identity OWNER TO orderly_identity;
ALTER ROLE orderly_identity SET search_path = identity;
CREATE SCHEMA IF NOT EXISTS identity_rebuild AUTHORIZATION orderly_identity;
ALTER SCHEMA identity_rebuild OWNER TO orderly_identity;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_keys') THEN CREATE ROLE orderly_keys LOGIN; END IF; END $$;
ALTER ROLE orderly_keys WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-keys-dev';
CREATE SCHEMA IF NOT EXISTS keys AUTHORIZATION orderly_keys;
ALTER SCHEMA keys OWNER TO orderly_keys;
ALTER ROLE orderly_keys SET search_path = keys;
CREATE SCHEMA IF NOT EXISTS keys_rebuild AUTHORIZATION orderly_keys;
ALTER SCHEMA keys_rebuild OWNER TO orderly_keys;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_sagas') THEN CREATE ROLE orderly_sagas LOGIN; END IF; END $$;
ALTER ROLE orderly_sagas WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-sagas-dev';
CREATE SCHEMA IF NOT EXISTS sagas AUTHORIZATION orderly_sagas;
ALTER SCHEMA sagas OWNER TO orderly_sagas;
ALTER ROLE orderly_sagas SET search_path = sagas;
CREATE SCHEMA IF NOT EXISTS sagas_rebuild AUTHORIZATION orderly_sagas;
ALTER SCHEMA sagas_rebuild OWNER TO orderly_sagas;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_workflows') THEN CREATE ROLE orderly_workflows LOGIN; END IF; END $$;
ALTER ROLE orderly_workflows WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-workflows-dev';
CREATE SCHEMA IF NOT EXISTS workflows AUTHORIZATION orderly_workflows;
ALTER SCHEMA workflows OWNER TO orderly_workflows;
ALTER ROLE orderly_workflows SET search_path = workflows;
CREATE SCHEMA IF NOT EXISTS workflows_rebuild AUTHORIZATION orderly_workflows;
ALTER SCHEMA workflows_rebuild OWNER TO orderly_workflows;

-- The data-access audit log is append-only: orderly_owner owns its schema and runs its migrations, which grant
-- orderly_audit SELECT and INSERT (and the retention function), never UPDATE, DELETE or TRUNCATE.
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orderly_audit') THEN CREATE ROLE orderly_audit LOGIN; END IF; END $$;
ALTER ROLE orderly_audit WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'orderly-audit-dev';
CREATE SCHEMA IF NOT EXISTS audit AUTHORIZATION orderly_owner;
ALTER SCHEMA audit OWNER TO orderly_owner;
ALTER ROLE orderly_audit SET search_path = audit;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
