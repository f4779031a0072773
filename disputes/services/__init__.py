"""Every write of the disputes app: opening a dispute (intake), its transitions, the inbox."""
