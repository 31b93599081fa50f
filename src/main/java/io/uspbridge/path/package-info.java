/**
 * TR-369 Path Names (digest §7): the grammar of instantiated-model paths as a parsed, immutable {@link
 * io.uspbridge.path.Path}; their resolution against the tree ({@link io.uspbridge.path.PathResolver}); GetSupportedDM
 * paths ({@link io.uspbridge.path.SupportedPathResolver}); and reference values written by controllers ({@link
 * io.uspbridge.path.ReferenceResolver}, installed with {@code DataModel.setReferenceResolver}).
 *
 * <p>Error codes, decided once here so that every message handler reports the same:
 * <ul>
 * <li>7008 (invalid path syntax): anything the grammar rejects, the limits on hostile input ({@code Path.MAX_*}), and
 * search expressions whose operator or constant does not fit the parameter's type ({@code [Enable=="true"]},
 * {@code [Name>"a"]}, {@code ~=} on a non-list, an ordering with the Unknown Time);</li>
 * <li>7026 (invalid path): names not in the supported model, including unknown parameters inside a search
 * expression, a relative path that names a child table, and following a parameter that is not an object
 * reference;</li>
 * <li>a valid path that matches nothing is not an error here: {@link io.uspbridge.path.Resolution#search()} tells the
 * handler whether that means "does not exist" (GET-5, 7026) or "empty success" (MSG-6).</li>
 * </ul>
 */
package io.uspbridge.path;
