"""Durable local state and process lifetimes: what ``medscribe run`` / ``serve`` keep under MEDSCRIBE_HOME
(``snapshot``), how their children end with them (``lifeline``, ``pgwatch``), and the embedded PostgreSQL
behind one small interface (``postgres``). Design: docs/local-state.md."""
