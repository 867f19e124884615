"""Reconciling the registry with the business-registration and tax extracts (issue 19).

``adapters`` (the :class:`~.adapters.ExtractSource` protocol and the file adapters that
yield normalised :class:`~.adapters.Record` rows), ``reading`` (a file's rows through the
registry import's reader), ``reconcile`` (records × registry → differences, one step
behind every source), ``vsic`` (VSIC 2018 → sector), ``services`` (upload, apply,
reject: every write).
"""
