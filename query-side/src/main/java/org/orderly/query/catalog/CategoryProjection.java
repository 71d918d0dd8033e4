package org.orderly.query.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.catalog.CategoryCreatedEvent;
import org.orderly.api.catalog.CategoryFamily;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.CategoryMovedEvent;
import org.orderly.api.catalog.CategoryRenamedEvent;
import org.orderly.api.catalog.CategoryRetiredEvent;
import org.orderly.api.catalog.CategoryTreeId;
import org.orderly.api.catalog.CategoryView;
import org.orderly.api.catalog.FindCategoriesQuery;
import org.orderly.api.catalog.FindCategoryQuery;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code categories} read model: the tree as rows with a materialized path ({@code /root/.../self/}), so that
 * "this category and everything under it" is a prefix range on an index, for the product lists to filter on.
 * <p>
 * Every event comes from the one tree aggregate, so one watermark (the tree's last applied sequence number, in
 * {@code category_tree}) makes each event apply once: a redelivered or replayed one finds it passed and changes
 * nothing, which per-row versions could not promise for a move that rewrites a whole subtree.
 */
@Component
@ProcessingGroup(CategoryProjection.PROCESSING_GROUP)
class CategoryProjection {

    static final String PROCESSING_GROUP = "categories";
    private static final String COLUMNS = "category_id, name, parent_id, depth, version";

    private final JdbcTemplate jdbc;

    CategoryProjection(DomainStores stores) {
        this.jdbc = stores.get(CatalogStore.DOMAIN).jdbc();
    }

    @EventHandler
    void on(CategoryCreatedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        if (!advance(version)) {
            return;
        }
        String parentPath = "/";
        int depth = 0;
        if (event.parentId() != null) {
            List<Object[]> parent = jdbc.query("SELECT path, depth FROM categories WHERE category_id = ?",
                    (rs, row) -> new Object[] {rs.getString(1), rs.getInt(2)}, event.parentId().value());
            if (!parent.isEmpty()) {
                parentPath = (String) parent.get(0)[0];
                depth = (Integer) parent.get(0)[1] + 1;
            }
        }
        jdbc.update("""
                INSERT INTO categories (category_id, name, parent_id, path, depth, version, last_position, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (category_id) DO NOTHING
                """, event.categoryId().value(), event.name(), event.parentId() == null ? null : event.parentId().value(),
                parentPath + event.categoryId() + "/", depth, version, position(token), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(CategoryRenamedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        if (!advance(version)) {
            return;
        }
        jdbc.update("UPDATE categories SET name = ?, version = ?, last_position = ?, updated_at = ? WHERE category_id = ?",
                event.name(), version, position(token), java.sql.Timestamp.from(at), event.categoryId().value());
    }

    @EventHandler
    void on(CategoryMovedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        if (!advance(version)) {
            return;
        }
        List<Object[]> moved = jdbc.query("SELECT path, depth FROM categories WHERE category_id = ?",
                (rs, row) -> new Object[] {rs.getString(1), rs.getInt(2)}, event.categoryId().value());
        if (moved.isEmpty()) {
            return;
        }
        String oldPath = (String) moved.get(0)[0];
        int oldDepth = (Integer) moved.get(0)[1];
        String parentPath = "/";
        int depth = 0;
        if (event.parentId() != null) {
            List<Object[]> parent = jdbc.query("SELECT path, depth FROM categories WHERE category_id = ?",
                    (rs, row) -> new Object[] {rs.getString(1), rs.getInt(2)}, event.parentId().value());
            if (!parent.isEmpty()) {
                parentPath = (String) parent.get(0)[0];
                depth = (Integer) parent.get(0)[1] + 1;
            }
        }
        String newPath = parentPath + event.categoryId() + "/";
        // The whole subtree in one statement: every path under the old one gets the new prefix.
        jdbc.update("UPDATE categories SET path = ? || substr(path, ?), depth = depth + ? WHERE path >= ? AND path < ?",
                newPath, oldPath.length() + 1, depth - oldDepth, oldPath, pathsAfter(oldPath));
        jdbc.update("""
                UPDATE categories SET parent_id = ?, version = ?, last_position = ?, updated_at = ? WHERE category_id = ?
                """, event.parentId() == null ? null : event.parentId().value(), version, position(token),
                java.sql.Timestamp.from(at), event.categoryId().value());
    }

    @EventHandler
    void on(CategoryRetiredEvent event, @SequenceNumber long version) {
        if (!advance(version)) {
            return;
        }
        jdbc.update("DELETE FROM categories WHERE category_id = ?", event.categoryId().value());
    }

    /** A replay starts from an empty tree; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE categories, category_tree");
    }

    @QueryHandler
    List<CategoryView> handle(FindCategoriesQuery query) {
        return jdbc.query("SELECT " + COLUMNS + " FROM categories ORDER BY depth, lower(name), category_id",
                CategoryProjection::view);
    }

    @QueryHandler
    CategoryFamily handle(FindCategoryQuery query) {
        List<String> paths = jdbc.queryForList("SELECT path FROM categories WHERE category_id = ?", String.class,
                query.categoryId().value());
        if (paths.isEmpty()) {
            return null;
        }
        Object[] lineage = Arrays.stream(paths.get(0).split("/")).filter(s -> !s.isEmpty()).map(UUID::fromString)
                .toArray();
        String marks = String.join(", ", java.util.Collections.nCopies(lineage.length, "?"));
        List<CategoryView> line = jdbc.query("SELECT " + COLUMNS + " FROM categories WHERE category_id IN (" + marks
                + ") ORDER BY depth", CategoryProjection::view, lineage);
        // Read in two statements, the tree may have changed in between: the category itself must still be there.
        if (line.isEmpty() || !line.get(line.size() - 1).categoryId().equals(query.categoryId())) {
            return null;
        }
        List<CategoryView> children = jdbc.query("SELECT " + COLUMNS + " FROM categories WHERE parent_id = ? "
                + "ORDER BY lower(name), category_id", CategoryProjection::view, query.categoryId().value());
        return new CategoryFamily(line.get(line.size() - 1), List.copyOf(line.subList(0, line.size() - 1)), children);
    }

    /** Moves the tree's watermark to {@code version}; false when the event was applied before. */
    private boolean advance(long version) {
        return jdbc.update("""
                INSERT INTO category_tree (tree_id, version) VALUES (?, ?)
                ON CONFLICT (tree_id) DO UPDATE SET version = EXCLUDED.version
                 WHERE category_tree.version < EXCLUDED.version
                """, CategoryTreeId.CATALOG.value(), version) == 1;
    }

    /**
     * The first path that is not under {@code path}: paths end in '/', and '0' is the character after it, so
     * {@code path <= p < pathsAfter(path)} is "p is path or under it" in the column's byte order.
     */
    static String pathsAfter(String path) {
        return path.substring(0, path.length() - 1) + '0';
    }

    private static Long position(TrackingToken token) {
        if (token == null) {
            return null;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : null;
    }

    private static CategoryView view(ResultSet rs, int row) throws SQLException {
        UUID parent = rs.getObject("parent_id", UUID.class);
        return new CategoryView(new CategoryId(rs.getObject("category_id", UUID.class)), rs.getString("name"),
                parent == null ? null : new CategoryId(parent), rs.getInt("depth"), rs.getLong("version"));
    }
}
