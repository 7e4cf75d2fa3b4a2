"""Training scripts for the shipped models: run offline, never imported by the runtime."""
