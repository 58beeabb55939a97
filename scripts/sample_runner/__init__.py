"""The guide's sample runner: builds a Django project per page, runs the page's
`run` samples in order and compares their output blocks (docs/runnable-samples.md).

Entry point: scripts/run_samples.py.
"""
