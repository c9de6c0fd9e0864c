// The Forms module: answers, validation, skip logic, calculations and scoring.
// Filled in by issue 3; it depends on Programme only.
@_exported import Programme
