package io.uspbridge.security;

/** The four permission strings of a Permission row: which kind of data-model element a right applies to. */
public enum ElementKind {
    /** {@code Param}: r = Get/GSDM, w = Set/Add values, n = ValueChange. */
    PARAM,
    /** {@code Obj}: r = resolve the object in Get/GSDM, w = Add instances, n = ObjectCreation. */
    OBJ,
    /** {@code InstantiatedObj}: r = GetInstances, w = Delete, n = ObjectDeletion. */
    INSTANTIATED_OBJ,
    /** {@code CommandEvent}: r = GSDM, x = Operate, n = OperationComplete / Event. */
    COMMAND_EVENT
}
