package org.orderly.command.catalog;

import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.ProductId;

/**
 * Which categories exist and which category each product is in, for the rules that span the category tree and
 * the products: a category with products cannot be retired, a product cannot go into a category that is not in
 * the tree. Each call joins the command's transaction, so a record exists exactly when the event that needs it
 * was stored.
 */
interface CategoryRegistry {

    /** Records a new category. */
    void register(CategoryId categoryId);

    /** Removes the category; refuses with a conflict while a product is in it. */
    void retire(CategoryId categoryId);

    /** Puts the product in the category; refuses as unprocessable (field {@code field}) when there is no such category. */
    void assign(ProductId productId, CategoryId categoryId, String field);
}
