"""`ppid desk`: the office's local web front for the same pipeline.

The desk writes request files into the day's inbox, writes the PPID's `decision:` block
into them, runs the same batch (pipeline.batch) and reads the same register. YAML stays
the source of truth; the CLI keeps working unchanged. Flask is imported only by
`create_app` (pipeline.desk.app), so `ppid schema` and `ppid users` do not need it.
"""
