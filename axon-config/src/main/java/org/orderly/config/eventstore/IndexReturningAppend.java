package org.orderly.config.eventstore;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;

/**
 * Axon's event insert, made to return the global index of every row it adds.
 * <p>
 * Axon builds the insert itself ({@code JdbcEventStorageEngineStatements.appendEvents}, with
 * {@link Connection#prepareStatement(String)}) and runs it as a batch. Handed a connection that prepares the same
 * statement with the index column as a generated key, the PostgreSQL driver adds {@code RETURNING} to it and the
 * indexes come back with the insert's answer; the statement, once its batch has run, reads them and reports the
 * highest to the {@link AppendedPositions.Capture}. Everything else goes to the driver's objects unchanged, and the
 * statement is Axon's own, so its error handling (a duplicate aggregate sequence becoming a concurrency conflict)
 * is too.
 * <p>
 * <b>Works around Axon</b> (listed in {@code docs/axon-workarounds.md}): Axon 4.13's storage engine offers no way to
 * learn the indexes it appended. It can go when it does.
 */
final class IndexReturningAppend {

    private IndexReturningAppend() {
    }

    /** {@code connection}, preparing every statement with {@code indexColumn} as its generated key. */
    static Connection returning(Connection connection, String indexColumn) {
        // The driver quotes the name it is given, where Axon's statements leave it to PostgreSQL to fold to lower case.
        String[] keys = {indexColumn.toLowerCase(Locale.ROOT)};
        return proxy(Connection.class, connection, (target, method, args) -> {
            if (method.getName().equals("prepareStatement") && method.getParameterCount() == 1) {
                return connection.prepareStatement((String) args[0], keys);
            }
            return method.invoke(target, args);
        });
    }

    /** {@code statement}, telling {@code capture} the highest index of each batch it runs. */
    static PreparedStatement reportingTo(AppendedPositions.Capture capture, PreparedStatement statement) {
        return proxy(PreparedStatement.class, statement, (target, method, args) -> {
            Object result = method.invoke(target, args);
            if (method.getName().equals("executeBatch") || method.getName().equals("executeUpdate")) {
                long last = -1;
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    while (keys.next()) {
                        last = Math.max(last, keys.getLong(1));
                    }
                }
                if (last >= 0) {
                    capture.appended(last);
                }
            }
            return result;
        });
    }

    private interface Call {
        Object on(Object target, Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return call.on(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause(); // the driver's own SQLException, as Axon expects it
            }
        };
        return type.cast(Proxy.newProxyInstance(IndexReturningAppend.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }
}
