// The Workflow module: the case state machine, the event store and fidelity evaluation.
// Filled in by issues 4 and 6; it depends on Forms and Programme only.
@_exported import Forms
