"""Local mode: the same ASL and handlers, run against an in-process AWS emulator and offline backends."""
