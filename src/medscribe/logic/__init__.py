"""Domain logic: one function per step, over the ports."""
