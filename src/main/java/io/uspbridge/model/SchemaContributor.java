package io.uspbridge.model;

/**
 * A feature's share of the supported data model. The application assembles the schema from every contributor at
 * start-up; a contributor may also extend objects another one declared (e.g. attach a command handler).
 */
@FunctionalInterface
public interface SchemaContributor {
    void contribute(SchemaBuilder schema);
}
