"""ppid: records pipeline for the PPID of KPU Provinsi Nusa Tenggara Timur.

The flow, one module a stage: loading -> requirements -> calendar -> rules ->
letters -> pdf -> register -> stats -> report. ``batch`` strings them together
for ``ppid run``; ``cli`` is the thin click layer over it.
"""

__version__ = "0.1.0"
