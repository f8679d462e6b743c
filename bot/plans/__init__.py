"""The plans as live data: kept in the database, so that an office adds, supersedes and retires its plans
without a developer, and every process answers from the same ones.

store: the plans' versions (the packaged plans are the first) · live: the knowledge base of the live
versions, rebuilt in each process when they change · uploads: a plan document an admin sends,
previewed, live once confirmed.
"""
