"""Reference workloads: the batch ETL (PySpark) and the streaming job (PyFlink), shipped as ``workloads.zip``.

They run on the cluster's Python, 3.9 on EMR 7.x: nothing newer than 3.9 here (``workloads.compat``), which
``tests/workloads/test_python39.py`` enforces.
"""
