"""Background work: the job registry, leases across processes, the runner and the scheduler."""
