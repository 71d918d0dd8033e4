package org.orderly.peer;

import java.sql.Types;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

/**
 * The fix from Axon's "Known issues and workarounds" (PostgreSQL and large object storage): Axon maps its
 * serialized payloads, metadata and tokens with {@code @Lob}, which Hibernate turns into PostgreSQL large
 * objects (an {@code oid} column plus a row in pg_largeobject, never cleaned up). This dialect stores them
 * inline as {@code bytea}, as every real PostgreSQL deployment of the JPA event store does.
 */
public class ByteaEnforcedPostgreSQLDialect extends PostgreSQLDialect {

    public ByteaEnforcedPostgreSQLDialect() {
    }

    /** Lets Hibernate tell the server's version, as it does for its own dialect. */
    public ByteaEnforcedPostgreSQLDialect(DialectResolutionInfo info) {
        super(info);
    }

    @Override
    protected String columnType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.columnType(sqlTypeCode);
    }

    @Override
    protected String castType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.castType(sqlTypeCode);
    }

    @Override
    public void contributeTypes(TypeContributions typeContributions, ServiceRegistry serviceRegistry) {
        super.contributeTypes(typeContributions, serviceRegistry);
        JdbcTypeRegistry registry = typeContributions.getTypeConfiguration().getJdbcTypeRegistry();
        registry.addDescriptor(Types.BLOB, BinaryJdbcType.INSTANCE);
    }
}
