package io.uspbridge.path;

/** What a Path Name ends at (PATH-1): an object (or table), a parameter, a command ({@code ()}) or an event ({@code !}). */
public enum PathKind {
    OBJECT, PARAMETER, COMMAND, EVENT
}
